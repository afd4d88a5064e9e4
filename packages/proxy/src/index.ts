/**
 * @module
 * `@remex/proxy`: the Remex execution proxy (Foreman smart proxy + REX script/SSH plugin
 * equivalent). Receives host tasks over HTTP, runs them over SSH, and delivers their output
 * events to the server through a durable outbox.
 */
export { loadProxyConfig, type LoadProxyConfigOptions } from './config/load-proxy-config.ts';
export { PROXY_CONFIG_DEFAULTS, type ProxyConfig, type ProxyLogLevel } from './config/proxy-config.ts';
export { type ProxyLogger } from './logger.ts';
export type { Provider, ProviderContext, ProviderEventType, StopReason, TaskOutcome } from './providers/provider.ts';
export { PROXY_USAGE, runProxyMain } from './run-proxy-main.ts';
export { type RunningProxy, startProxy, type StartProxyOptions } from './start-proxy.ts';
export { type CertificateKeyPair, type CertificateRequest, type CertificateUsage, createCertificate, fingerprintOf } from './tls/certificates.ts';
export { type LabCertificateRequest, type LabCertificates, makeLabCertificates, type WrittenCertificate } from './tls/lab-certificates.ts';
export { CANCEL_MESSAGE, LOST_SECRETS_MESSAGE, RESTART_MESSAGE, TIMEOUT_MESSAGE } from './tasks/task-runner.ts';
export type { Transport, TransportSession, TransportTarget } from './transport/transport.ts';
