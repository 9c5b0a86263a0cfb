/** The screenshot renderer's jest run (scripts/screenshots.ts): the page renders only, never part of `npm test`. */
module.exports = {
  rootDir: '../..',
  testEnvironment: 'jsdom',
  roots: ['<rootDir>/test/miniprogram/screenshots'],
  testMatch: ['**/*.shots.ts'],
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      { tsconfig: '<rootDir>/test/miniprogram/tsconfig.json', diagnostics: false },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
