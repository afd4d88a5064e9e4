// @ts-check
/**
 * ESLint flat config: type-aware rules for every package and the allowed import edges of
 * ARCHITECTURE.md ("who may import whom") enforced with no-restricted-imports.
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const internal = ['common', 'erb', 'search-query', 'server', 'proxy', 'cli', 'testkit', 'web'];

/** @param {string[]} allowed internal packages this one may import */
function importEdges(allowed) {
  const banned = internal.filter((p) => !allowed.includes(p));
  return {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { group: banned.map((p) => `@remex/${p}`), message: 'This import edge is not allowed (see ARCHITECTURE.md).' },
          { group: ['@remex/*/src/*', '@remex/*/src'], message: 'Import a package through its public door only.' },
          { group: ['../../*/src/*', '../../../*/src/*'], message: 'No relative cross-package imports.' },
        ],
      },
    ],
  };
}

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'bench/results/**', 'packages/.bench/**', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  { files: ['packages/erb/**/*.ts', 'packages/search-query/**/*.ts'], rules: importEdges([]) },
  { files: ['packages/common/**/*.ts'], rules: importEdges([]) },
  { files: ['packages/server/src/**/*.ts'], rules: importEdges(['common', 'erb', 'search-query']) },
  { files: ['packages/proxy/src/**/*.ts'], rules: importEdges(['common']) },
  { files: ['packages/cli/src/**/*.ts'], rules: importEdges(['common', 'server', 'proxy']) },
  // Tests of every package may use @remex/testkit (a devDependency), on top of their package's edges.
  { files: ['packages/{erb,search-query,common}/test/**/*.ts', 'packages/{erb,search-query,common}/src/**/*.test.ts'], rules: importEdges(['testkit']) },
  { files: ['packages/web/src/**/*.ts', 'packages/web/src/**/*.tsx'], rules: importEdges(['common']) },
  {
    files: ['**/*.test.ts', '**/test/**/*.ts', 'bench/**/*.ts', 'packages/testkit/**/*.ts'],
    // Tests read arbitrary JSON answers; the unsafe-any family would only add casts.
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
