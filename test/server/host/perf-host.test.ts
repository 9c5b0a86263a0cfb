/**
 * Release regressions through the local host (fastify inject, SQLite): users of two releases
 * send their performance entries (`track`), the timer's `train` round folds them into the perf
 * rollups, and a platform admin's 性能 report (`merchant` perf.report) flags the slower release.
 */
import { randomUUID } from 'node:crypto';
import { unsafeUniformIntDistribution, xoroshiro128plus } from 'pure-rand';
import type { PerfReport } from '../../../typings';
import { perfReportCli } from '../../../server/host/perf-report';
import { inProcessHost } from '../../helpers/in-process-host';

let now = Date.UTC(2026, 11, 6, 2, 0, 0);
const host = inProcessHost({ PLATFORM_ADMINS: 'admin' }, () => now);
beforeAll(() => host.start());
afterAll(() => host.stop());
const call = host.call;
async function post(fn: string, payload: object, openid?: string) {
  const body = await call(fn, payload, openid);
  if (!body.ok) throw new Error(`${fn}: ${body.code}`);
  return body.data as Record<string, unknown>;
}

const g = xoroshiro128plus(42);
const uniform = () => (unsafeUniformIntDistribution(0, 2 ** 30 - 1, g) + 0.5) / 2 ** 30;
/** A first-render time in ms: log-normal around 180 ms, times the release's slowdown. */
const renderMs = (slowdown: number) =>
  Math.round(
    slowdown *
      Math.exp(
        Math.log(180) +
          0.5 * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()),
      ),
  );

it('two releases send perf events; train rolls them up; the admin report flags the slower one', async () => {
  const releases = [
    { version: '1.3.0', slowdown: 1, users: ['a1', 'a2', 'a3'] },
    { version: '1.4.0', slowdown: 1.35, users: ['b1', 'b2', 'b3'] },
  ];
  for (const { version, slowdown, users } of releases)
    for (const u of users) {
      await post('account', { action: 'consent.set', noticeVersion: '2026-11', granted: true }, u);
      const events = Array.from({ length: 100 }, (_, i) => ({
        eventId: randomUUID(),
        type: 'page_perf',
        clientTime: now,
        sessionId: `s-${u}`,
        page: i % 2 ? 'pages/detail/index' : 'pages/feed/index',
        metric: 'firstRender',
        durationMs: renderMs(i % 2 ? slowdown : 1), // only the detail page got slower
        appVersion: version,
        platform: 'android',
        network: 'wifi',
      }));
      const ack = await post('track', { schemaVersion: 1, events }, u);
      expect(ack.accepted).toHaveLength(100);
    }
  now += 60_000; // past the settle window
  await post('train', {});

  expect(await call('merchant', { action: 'perf.report' }, 'a1')).toMatchObject({
    ok: false,
    code: 'FORBIDDEN',
  });
  const { report } = (await post('merchant', { action: 'perf.report' }, 'admin')) as {
    report: PerfReport;
  };
  expect(report.versions).toEqual(['1.3.0', '1.4.0']);
  const byPage = Object.fromEntries(report.regressions.map((r) => [r.page, r]));
  expect(byPage['pages/detail/index']).toMatchObject({
    metric: 'firstRender',
    baselineVersion: '1.3.0',
    version: '1.4.0',
    baselineN: 150,
    n: 150,
    flagged: true,
  });
  expect(byPage['pages/feed/index']).toMatchObject({ n: 150, flagged: false });
  expect(
    report.pages.find((p) => p.page === 'pages/detail/index' && p.version === '1.4.0')?.timings
      .firstRender?.n,
  ).toBe(150);

  // `npm run perf:report` prints the same from the same rollups.
  const lines: string[] = [];
  await perfReportCli(host.stores(), [], (l) => lines.push(l));
  expect(lines).toContainEqual(expect.stringMatching(/1 of 2 comparisons/));
  // the table: one row per page × version × platform, each timing's quantiles with its count
  const detail14 = lines.find((l) => l.startsWith('pages/detail/index | 1.4.0 | android | '));
  expect(detail14).toMatch(/\| firstRender [\d.]+\/[\d.]+\/[\d.]+ \(150\)$/);
  expect(lines).toContainEqual(
    expect.stringMatching(
      /^ {2}pages\/detail\/index firstRender: 1\.3\.0 → 1\.4\.0 .*n 150 \/ 150/,
    ),
  );
  const json: string[] = [];
  await perfReportCli(host.stores(), ['--json'], (l) => json.push(l));
  expect(JSON.parse(json[0])).toEqual(report);

  // A second round reads nothing new and adds nothing.
  now += 60_000;
  await post('train', {});
  const again = (await post('merchant', { action: 'perf.report' }, 'admin')) as {
    report: PerfReport;
  };
  expect(again.report).toEqual(report);
});
