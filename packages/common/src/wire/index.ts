export * from './proxy-contract.ts';
