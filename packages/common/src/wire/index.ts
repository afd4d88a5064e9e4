export * from './proxy-contract.ts';
export * from './request-signature.ts';
