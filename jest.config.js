// @ts-check
/** One jest config, three projects: unit (pure logic), int (real Postgres/Redis), e2e (real apps). */
const { readFileSync } = require('node:fs');

const swcrc = JSON.parse(readFileSync(`${__dirname}/.swcrc`, 'utf8'));
// The build config excludes test files; jest must transform them.
const swcConfig = { ...swcrc, exclude: [], swcrc: false, sourceMaps: 'inline' };

const moduleNameMapper = {
  '^@app/config$': '<rootDir>/libs/config/src',
  '^@app/common$': '<rootDir>/libs/common/src',
  '^@app/db$': '<rootDir>/libs/db/src',
  '^@app/identity$': '<rootDir>/libs/identity/src',
  '^@app/outbox$': '<rootDir>/libs/outbox/src',
  '^@app/loyalty$': '<rootDir>/libs/loyalty/src',
  '^@app/community$': '<rootDir>/libs/community/src',
  '^@app/drops$': '<rootDir>/libs/drops/src',
  '^@app/analytics$': '<rootDir>/libs/analytics/src',
  '^@app/offers$': '<rootDir>/libs/offers/src',
  '^@app/segments$': '<rootDir>/libs/segments/src',
  '^@app/ml$': '<rootDir>/ml/src',
  '^@app/demo$': '<rootDir>/libs/demo/src',
  '^@app/testing$': '<rootDir>/test/support',
};

/**
 * ESM-only dependencies that Node 20 can `require` but jest cannot: swc compiles them to CommonJS.
 * (@fastify/static, which serves the Swagger UI at /docs, requires content-disposition 3.)
 */
const esmOnly = ['content-disposition'];

const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', swcConfig],
    [`/node_modules/(${esmOnly.join('|')})/.+\\.js$`]: ['@swc/jest', swcConfig],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  moduleNameMapper,
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};

/** @type {import('jest').Config} */
module.exports = {
  // Per-project testTimeout is ignored by jest; integration and e2e tests boot real services.
  testTimeout: 60000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,ml}/**/*.spec.ts'] },
    {
      ...base,
      displayName: 'int',
      testMatch: ['<rootDir>/{apps,libs,ml}/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
  ],
};
