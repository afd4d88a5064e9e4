/**
 * @module
 * What the browser tests share: Debian's chromium (a missing one fails under CI, is skipped off
 * it), the UI built once into a temp dir the server then serves, a headless profile with the
 * flags that need no network, and the login form.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { tempDir } from '@remex/testkit';
import type { BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { expect } from 'vitest';

import { ADMIN_PASSWORD } from '../../server/test/test-server.ts';

/** Debian's chromium. */
export const CHROMIUM = '/usr/bin/chromium';

/** Whether the browser tests can run here (under CI a missing browser is a failure). */
export function browserAvailable(): boolean {
  if (!existsSync(CHROMIUM) && process.env.CI) throw new Error(`${CHROMIUM} is missing: scripts/install-test-deps.sh installs it`);
  return existsSync(CHROMIUM);
}

const webRoot = fileURLToPath(new URL('..', import.meta.url));

/** Builds the UI into a temp dir and makes servers started from now on serve it; returns the cleanup. */
export async function buildWebUi(): Promise<() => Promise<void>> {
  const out = await tempDir('remex-web-dist-');
  const built = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { cwd: webRoot, env: { ...process.env, REMEX_WEB_OUT_DIR: out.path }, encoding: 'utf8' });
  expect(built.status, built.stderr).toBe(0);
  process.env.REMEX_WEB_DIST = out.path;
  return async () => {
    delete process.env.REMEX_WEB_DIST;
    await out.cleanup();
  };
}

/** A headless chromium with a profile of its own; returns it and the profile's cleanup. */
export async function launchBrowser(options: { viewport?: { width: number; height: number } } = {}): Promise<{ context: BrowserContext; cleanup: () => Promise<void> }> {
  const profile = await tempDir('remex-chromium-');
  const context = await chromium.launchPersistentContext(profile.path, {
    executablePath: CHROMIUM,
    headless: true,
    ...options,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    cleanup: async () => {
      await context.close().catch(() => undefined);
      await profile.cleanup();
    },
  };
}

/** Logs in as admin on the login form `page` shows (after a `goto`). */
export async function logIn(page: Page): Promise<void> {
  await page.getByLabel('Login').fill('admin');
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'User menu' }).waitFor();
}
