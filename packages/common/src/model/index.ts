export * from './glossary.ts';
export * from './status.ts';
