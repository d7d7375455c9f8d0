// ESM throughout: execa and yargs are ESM-only, so the tests run as native ES modules
// (node --experimental-vm-modules, see package.json) and ts-jest compiles without type checking
// (`npm test` runs `tsc --noEmit` once instead, which is faster than checking per file).
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }],
  },
  testTimeout: 60000,
};
