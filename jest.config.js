/** Two jest projects: the backend under node, the Mini Program under jsdom + miniprogram-simulate. */
const tsJest = (tsconfig) => ['ts-jest', { tsconfig, diagnostics: false }];

module.exports = {
  projects: [
    {
      displayName: 'server',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/server', '<rootDir>/test/contract', '<rootDir>/test/e2e'],
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest('<rootDir>/tsconfig.json') },
      moduleFileExtensions: ['ts', 'js', 'json'],
    },
    {
      displayName: 'miniprogram',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/test/miniprogram'],
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest('<rootDir>/test/miniprogram/tsconfig.json') },
      moduleFileExtensions: ['ts', 'js', 'json'],
    },
  ],
};
