/**
 * @module
 * API schemas per resource (TypeBox), shared by the server's routes (validation, serialization,
 * OpenAPI) and the CLI's typed client.
 */
export * from './list.ts';
export * from './subnet.ts';
export * from './bookmark.ts';
export * from './feature.ts';
export * from './smart-proxy.ts';
export * from './operatingsystem.ts';
export * from './taxonomy.ts';
export * from './domain.ts';
export * from './parameter.ts';
export * from './hostgroup.ts';
export * from './host.ts';
export * from './status.ts';
export * from './user.ts';
export * from './personal-access-token.ts';
export * from './role.ts';
export * from './filter.ts';
export * from './auto-complete.ts';
export * from './job-invocation.ts';
export * from './audit.ts';
export * from './template-input.ts';
export * from './job-template.ts';
export * from './recurring-logic.ts';
export * from './webhook.ts';
