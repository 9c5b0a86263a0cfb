/** Function dependencies for tests: a fixed clock, a quiet logger that remembers errors. */
import { loadConfig } from '../../server/config';
import type { Stores } from '../../server/ports';
import type { Deps, Logger } from '../../server/runtime/function';

/** The identifier-key settings of testDeps' configuration (neither key set: the local development key). */
export const TEST_KEYS = { identifierKey: '', blobEncryptionKey: '' } as const;

export interface TestDeps extends Deps {
  errors: string[];
  setNow(ms: number): void;
}

export function testDeps(stores: Stores, start = Date.UTC(2026, 10, 28, 2, 0, 0)): TestDeps {
  let now = start;
  const errors: string[] = [];
  const log: Logger = {
    info: () => undefined,
    error: (msg, f) => void errors.push(`${msg} ${JSON.stringify(f)}`),
  };
  return {
    stores,
    config: loadConfig({}, { dataDir: '/nonexistent' }),
    now: () => now,
    log,
    errors,
    setNow: (ms) => {
      now = ms;
    },
  };
}
