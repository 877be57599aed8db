/** Unit tests sit beside the code they test; integration tests drive the real SDKs through the local site. */
const transform = { '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };
module.exports = {
  // Integration and browser tests run whole journeys (weeks of site clock, browsers); unit tests are fast anyway.
  testTimeout: 60_000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      // static/** tests cover the Custom UI's pure modules (no DOM); they compile with the root tsconfig like the rest.
      testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/static/**/*.test.ts', '<rootDir>/local-site/**/*.test.ts', '<rootDir>/test/*.test.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
    },
    {
      // Browser tests: run after `npm run build` (the Custom UI bundles), against Debian's chromium.
      displayName: 'e2e',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/e2e/**/*.e2e.ts'],
    },
  ],
};
