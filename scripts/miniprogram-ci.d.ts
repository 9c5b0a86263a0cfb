/**
 * Types for the one miniprogram-ci call the build makes. The package's own .d.ts files import
 * files it does not ship (tsc fails on them), so scripts import its entry by file path, which
 * has no adjacent .d.ts, and this declaration types it.
 */
declare module 'miniprogram-ci/dist/index.js' {
  export function packNpmManually(options: {
    packageJsonPath: string;
    miniprogramNpmDistDir: string;
    ignores?: string[];
  }): Promise<{
    miniProgramPackNum: number;
    otherNpmPackNum: number;
    warnList: Array<{ msg: string; jsPath?: string; code?: string; tips?: string }>;
  }>;
}
