export * from './errors.ts';
export * from './error-answer.ts';
