import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Layering from DESIGN.md as lint rules: each protocol library is imported by one folder only,
 * and domain/ never sees Koa, Prisma, Redis or the protocol libraries.
 */
const only = (names, where) => ({ group: names, message: `import ${names.join(', ')} only from ${where}` });

const RULES = [
  only(['oidc-provider', 'oidc-provider/*'], 'src/oidc/'),
  only(['@node-saml/*', 'openid-client', 'openid-client/*'], 'src/federation/'),
  only(
    ['@prisma/*', '**/generated/prisma/*', 'ioredis', 'pg', '@electric-sql/*', 'pglite-prisma-adapter'],
    'src/data/',
  ),
  only(['koa', '@koa/*'], 'src/http/, src/app.ts, src/main.ts'),
  only(['nodemailer'], 'src/mail/'),
  only(['@modelcontextprotocol/*'], 'src/mcp/'),
];
const restricted = (except) => ({
  'no-restricted-imports': [
    'error',
    { patterns: RULES.filter((rule) => !except.some((name) => rule.group.includes(name))) },
  ],
});

export default tseslint.config(
  {
    ignores: [
      'dist/',
      '.bench-build/',
      'node_modules/',
      'data/',
      'coverage/',
      'src/data/generated/',
      'keys/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { files: ['src/**/*.ts'], rules: restricted([]) },
  { files: ['src/oidc/**/*.ts'], rules: restricted(['oidc-provider']) },
  { files: ['src/federation/**/*.ts'], rules: restricted(['openid-client']) },
  { files: ['src/data/**/*.ts'], rules: restricted(['ioredis']) },
  { files: ['src/mail/**/*.ts'], rules: restricted(['nodemailer']) },
  { files: ['src/mcp/**/*.ts'], rules: restricted(['@modelcontextprotocol/*']) },
  { files: ['src/http/**/*.ts', 'src/app.ts', 'src/main.ts'], rules: restricted(['koa']) },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...RULES,
            {
              group: ['**/http/*', '**/data/*', '**/oidc/*', '**/federation/*'],
              message: 'domain/ depends on ports, not on adapters',
            },
          ],
        },
      ],
    },
  },
);
