/**
 * @module
 * Test helper: a stand-in proxy (`@remex/testkit`) registered with a test server under its own
 * credential.
 */
import { type StandInAnswer, type StandInProxy, type StandInRequest, startStandInProxy } from '@remex/testkit';

import type { TestServer } from './test-server.ts';

export type { StandInProxy } from '@remex/testkit';

/** Issues a credential for `name`, starts a stand-in holding it and registers it. */
export async function registerStandIn(t: TestServer, name: string, handle?: (req: StandInRequest) => StandInAnswer | Promise<StandInAnswer>): Promise<StandInProxy> {
  const token = await t.server.issueProxyCredential(name);
  const proxy = await startStandInProxy(t.server.url, name, token, handle);
  await t.server.registerProxy(name, proxy.url);
  return proxy;
}
