/**
 * @module
 * Builds `docs/openapi.yaml` from the route table of the real app (see `openapi.ts`). Run as a
 * script (`npm run openapi`) to write it; imported by the drift test to compare.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { ServerContext } from '../context.ts';
import { createFastify, registerRoutes } from './app.ts';
import { OPENAPI_SOURCE_PATH, buildOpenApi, recordRoutes } from './openapi.ts';

export { OPENAPI_SOURCE_PATH };

/** Path of the generated document. */
export const OPENAPI_PATH = fileURLToPath(new URL('../../../../docs/openapi.yaml', import.meta.url));

/**
 * Stand-in context: route registration only stores handlers, which are never called here. Every
 * property read and call returns the stub itself, so registration-time reads succeed.
 */
function contextStub(): ServerContext {
  const stub: unknown = new Proxy(() => undefined, {
    get: (_target, key) => (key === 'then' ? undefined : stub),
    apply: () => stub,
    construct: () => stub as object,
  });
  return stub as ServerContext;
}

/** The OpenAPI document the current routes and schemas produce. */
export async function generateOpenApi(): Promise<string> {
  const app = createFastify('silent');
  const routes = recordRoutes(app);
  registerRoutes(app, contextStub());
  await app.ready();
  await app.close();
  return buildOpenApi(fs.readFileSync(OPENAPI_SOURCE_PATH, 'utf8'), routes);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  fs.writeFileSync(OPENAPI_PATH, await generateOpenApi());
  console.log(`wrote ${OPENAPI_PATH}`);
}
