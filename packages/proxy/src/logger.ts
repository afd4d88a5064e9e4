/**
 * @module
 * The proxy's pino logger. Scripts, passwords and other task secrets are never logged; the
 * redaction list below is a second line of defence for objects logged by mistake.
 */
import { pino, type Logger } from 'pino';

import type { ProxyLogLevel } from './config/proxy-config.ts';

/** The logger type used across the proxy. */
export type ProxyLogger = Logger;

/**
 * Creates the proxy logger (JSON lines on stdout).
 * @param level - pino level; `silent` disables output
 * @param name - proxy name, added to every line
 */
export function createProxyLogger(level: ProxyLogLevel, name: string): ProxyLogger {
  return pino({
    level,
    base: { proxy: name },
    redact: {
      paths: ['secrets', '*.secrets', 'password', '*.password', 'script', '*.script', 'token', '*.token', 'authorization', '*.authorization'],
      censor: '[redacted]',
    },
  });
}
