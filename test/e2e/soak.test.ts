/**
 * The short version of `npm run soak` (issue 22): a few seconds of the simulator's users and the
 * hostile mix against the local host with two workers; no 5xx, every acknowledged event stored
 * once and counted once. Memory growth needs the long run (docs/reliability.md).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../helpers/host-process';

it('keeps every acknowledged event, once, with no 5xx under load and hostile clients', async () => {
  const { stdout } = await promisify(execFile)(
    path.join(ROOT, 'node_modules/.bin/tsx'),
    ['scripts/soak.ts', '--minutes', '0.2', '--json', '--clients', '2', '--train-every', '5'],
    { cwd: ROOT, timeout: 90_000 },
  ).catch((err: { stdout?: string; stderr?: string }) => {
    // A missed target exits 1: the JSON is still there to show which.
    if (err.stdout) return { stdout: err.stdout };
    throw new Error(String(err.stderr ?? err));
  });
  const report = JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, number> & {
    statuses: Record<string, number>;
  };
  expect(report).toMatchObject({
    errors5xx: 0,
    lostEvents: 0,
    duplicatedEvents: 0,
    countMismatches: 0,
  });
  expect(report.acknowledgedEvents).toBeGreaterThan(100);
  // The hostile mix met its refusals: over the rate limit, too large, malformed.
  expect(report.statuses['429']).toBeGreaterThan(0);
  expect(report.statuses['413']).toBeGreaterThan(0);
  expect(report.statuses['400']).toBeGreaterThan(0);
}, 120_000);
