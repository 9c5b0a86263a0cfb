/**
 * The prefetch policy's A/B metrics through the local host (fastify inject, SQLite): a platform
 * admin runs a feed.prefetch experiment (off against learned); each user's detail opens send their
 * time to content and the app's prefetch reports its calls, bytes and hits (`track`); the timer's
 * `train` round folds them per variant (the user's replayed assignment); `experiment.results`
 * shows each variant's time to content and prefetch cost per open. The page report is unchanged.
 */
import { randomUUID } from 'node:crypto';
import type { Experiment, ExperimentResults, PerfReport } from '../../../typings';
import { variantsAt } from '../../../server/engine/experiments/assign';
import { inProcessHost } from '../../helpers/in-process-host';

let now = Date.UTC(2026, 11, 6, 4, 0, 0);
const host = inProcessHost({ PLATFORM_ADMINS: 'admin' }, () => now);
beforeAll(() => host.start());
afterAll(() => host.stop());
const post = host.post;

const ev = (user: string, type: string, over: Record<string, unknown>) => ({
  eventId: randomUUID(),
  type,
  clientTime: now,
  sessionId: `s-${user}`,
  page: 'pages/detail/index',
  appVersion: '1.4.0',
  platform: 'android',
  ...over,
});

it('per variant: time to content on detail, prefetch calls, bytes and hits per open', async () => {
  const { experiment: created } = (await post(
    'merchant',
    {
      action: 'experiment.create',
      experiment: {
        name: '详情预取',
        parameter: 'feed.prefetch',
        trafficPercent: 100,
        variants: [
          { name: 'off', weight: 1, value: 'off' },
          { name: 'learned', weight: 1, value: 'learned' },
        ],
        targetMetric: 'ctr',
        guardrails: [],
      },
    },
    'admin',
  )) as { experiment: Experiment };
  const { experiment } = (await post(
    'merchant',
    { action: 'experiment.start', experimentId: created.id },
    'admin',
  )) as { experiment: Experiment };

  // Eight users of each variant, found by the same assignment serving uses.
  const byVariant: Record<string, string[]> = { off: [], learned: [] };
  for (let i = 0; byVariant.off.length < 8 || byVariant.learned.length < 8; i++) {
    const u = `user-${i}`;
    const [v] = variantsAt(u, [experiment], 'feed.prefetch', now);
    if (v && byVariant[v.variant].length < 8) byVariant[v.variant].push(u);
  }
  for (const [variant, users] of Object.entries(byVariant))
    for (const u of users) {
      await post('account', { action: 'consent.set', noticeVersion: '2026-11', granted: true }, u);
      // Two detail opens each: prefetched ones show at once, the others wait for the network.
      const ms = variant === 'learned' ? [5, 320] : [300, 340];
      const events = [
        ...ms.map((durationMs) => ev(u, 'page_perf', { metric: 'timeToContent', durationMs })),
        ...(variant === 'learned'
          ? [ev(u, 'prefetch', { page: 'pages/feed/index', calls: 6, bytes: 30_000, hits: 1 })]
          : []),
      ];
      const ack = await post('track', { schemaVersion: 1, events }, u);
      expect(ack.accepted).toHaveLength(events.length);
    }

  // The experiment stops after the events and before train reads them: they still count for
  // their variants (the range it held is kept).
  now += 1_000;
  await post('merchant', { action: 'experiment.stop', experimentId: experiment.id }, 'admin');
  now += 60_000; // past the settle window
  await post('train', {});
  const { results } = (await post(
    'merchant',
    { action: 'experiment.results', experimentId: experiment.id },
    'admin',
  )) as { results: ExperimentResults };
  const [off, learned] = results.prefetch!;
  expect(off).toMatchObject({
    variant: 'off',
    opens: 16,
    reports: 0,
    calls: 0,
    bytes: 0,
    hits: 0,
    callsPerOpen: 0,
    hitRate: 0,
  });
  expect(learned).toMatchObject({
    variant: 'learned',
    opens: 16,
    reports: 8,
    calls: 48,
    bytes: 240_000,
    hits: 8,
    callsPerOpen: 3,
    bytesPerOpen: 15_000,
    hitRate: 0.5,
  });
  // DDSketch at 1 % relative accuracy: the medians are the variants' own.
  expect(learned.timeToContent!.p50).toBeCloseTo(5, 0);
  expect(off.timeToContent!.p50).toBeGreaterThan(290);
  expect(off.timeToContent!.n).toBe(16);

  // The A/B cells stay out of the page report: one detail row with all 32 timings.
  const { report } = (await post('merchant', { action: 'perf.report' }, 'admin')) as {
    report: PerfReport;
  };
  expect(report.pages.map((p) => p.page)).toEqual(['pages/detail/index']);
  expect(report.pages[0].timings.timeToContent?.n).toBe(32);
});
