/**
 * `npm run bench:merchant`: how long a merchant waits for an experiment's results and a
 * campaign's report over a big log. Builds a log of 2,000,000 events (SQLite, batched inserts) —
 * 20,000 users browsing feed slates of 10 cards (an ad in slot 3, 50 campaigns) over 14 days,
 * every slate labelled with the user's variant of one running experiment, clicks and payments —
 * builds the experiment and campaign report rollups with the training run's own rollup steps
 * (server/learning/experiment-rollup.ts, ad-report-rollup.ts; one pass in pages as train reads
 * them), then times:
 * - resultsMs: `experiment.results` (server/merchant/experiment-results.ts: rollups only);
 * - reportMs: `report.daily` for one campaign over 7 days (server/merchant/reports.ts: rollups
 *   and counters only);
 * - breakdownMs: `report.breakdown` by segment, same campaign and days (rollups only);
 * - rawReadMs (reference): the read of the ad's raw events that the report made before its
 *   rollups (same range and the attribution day before), no computation.
 * Target (issue 14): results and report under 1,000 ms on SQLite. Prints a table, or with --json
 * one object {"events", "resultsMs", "reportMs", "breakdownMs", "rawReadMs", "rawEvents",
 * "adRollupSeconds", "buildSeconds", "rollupSeconds"}.
 *
 * Usage: npm run bench:merchant [-- --json] [-- --events N]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Experiment } from '../typings';
import { openSqliteStoresAt } from '../server/adapters/sqlite';
import { loadConfig } from '../server/config';
import { dayBucket } from '../server/engine/time';
import { mulberry32 } from '../server/engine/models/rng';
import { AdReportRollup } from '../server/learning/ad-report-rollup';
import { ExperimentRollup } from '../server/learning/experiment-rollup';
import { experimentResults } from '../server/merchant/experiment-results';
import { campaignBreakdown, campaignDailyReport } from '../server/merchant/reports';
import type { ServedSlate, StoredEvent } from '../server/ports';
import { makeCampaign } from '../test/helpers/fixtures';

const args = process.argv.slice(2);
const json = args.includes('--json');
const at = args.indexOf('--events');
const EVENTS = at >= 0 && Number(args[at + 1]) > 0 ? Number(args[at + 1]) : 2_000_000;
const USERS = 20_000;
const CAMPAIGNS = 50;
const DAYS = 14;
const DAY_MS = 86_400_000;
const T0 = Date.UTC(2026, 10, 1, 0, 0, 0);
const MERCHANT = 'm-bench';

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recsys-bench-merchant-'));
  const stores = openSqliteStoresAt(path.join(dir, 'db.sqlite'), path.join(dir, 'blobs'));
  try {
    const rand = mulberry32(20261128);
    const campaigns = Array.from({ length: CAMPAIGNS }, (_, i) =>
      makeCampaign(`camp-${i}`, { merchantId: MERCHANT, startAt: T0, endAt: T0 + 60 * DAY_MS }),
    );
    await stores.ads.upsertCampaigns(campaigns);
    const experiment: Experiment = {
      id: 'exp-bench',
      merchantId: null,
      name: 'diversity',
      parameter: 'feed.diversity',
      campaignId: null,
      buckets: 10_000,
      range: [0, 10_000],
      variants: [
        { name: 'control', weight: 1, value: 0.1 },
        { name: 'strong', weight: 1, value: 0.3 },
      ],
      targetMetric: 'ctr',
      guardrails: ['likes_per_impression', 'paid_per_user'],
      status: 'running',
      salt: 'bench',
      createdAt: T0,
      startedAt: T0,
      stoppedAt: null,
      version: 1,
    };
    await stores.experiments.create(experiment);

    // The log, in server-time order, inserted in batches (one transaction per batch).
    const built = performance.now();
    let events: StoredEvent[] = [];
    let slates: ServedSlate[] = [];
    let total = 0;
    let seq = 0;
    const flush = async (): Promise<void> => {
      await Promise.all(slates.map((s) => stores.slates.append(s)));
      await stores.events.append(events);
      total += events.length;
      events = [];
      slates = [];
    };
    const step = (DAYS * DAY_MS) / (EVENTS / 10.6);
    for (let t = T0; total + events.length < EVENTS; t += step) {
      const user = Math.floor(rand() * USERS);
      const openid = `user-${user}`;
      const slateId = `slate-${++seq}`;
      const adId = campaigns[Math.floor(rand() * CAMPAIGNS)].id;
      const serverTime = Math.floor(t);
      slates.push({
        slateId,
        openid,
        servedAt: serverTime,
        modelVersion: null,
        variant: `${experiment.id}:${user % 2 ? 'strong' : 'control'}`,
        personalised: true,
        scene: 1001,
        cards: Array.from({ length: 10 }, (_, p) =>
          p === 3
            ? { position: p, adId, score: null, propensity: 1, priceFen: 30 }
            : { position: p, itemId: `item-${(seq * 7 + p) % 5000}`, score: null, propensity: 1 },
        ),
      });
      const base = (type: StoredEvent['type'], position?: number): StoredEvent => ({
        openid,
        eventId: `e-${seq}-${type}-${position ?? 'x'}`,
        type,
        serverTime,
        clientTime: serverTime,
        clockSkewed: false,
        sessionId: `s-${seq}`,
        page: 'pages/feed/index',
        slateId: position === undefined ? undefined : slateId,
        position,
        adId: position === 3 || position === undefined ? adId : undefined,
        itemId:
          position !== undefined && position !== 3
            ? `item-${(seq * 7 + position) % 5000}`
            : undefined,
        props: {},
      });
      for (let p = 0; p < 10; p++) {
        events.push(base('impression', p));
        if (rand() < (p === 3 ? 0.02 : 0.05 + (user % 2) * 0.005)) events.push(base('click', p));
      }
      if (rand() < 0.004)
        events.push({
          ...base('pay'),
          props: {
            orderId: `o-${seq}`,
            amountFen: 1_000 + Math.floor(rand() * 9_000),
            merchantId: MERCHANT,
          },
        });
      if (events.length >= 20_000) await flush();
    }
    await flush();
    const buildSeconds = (performance.now() - built) / 1000;

    // The rollups, as train builds them: pages of the log with the slates they name.
    const rolled = performance.now();
    const rollup = new ExperimentRollup([experiment]);
    const adRollup = new AdReportRollup();
    let adRollupMs = 0;
    let cursor: string | null = null;
    for (;;) {
      const page = await stores.events.readAfter(cursor, Number.MAX_SAFE_INTEGER, 10_000);
      if (page.events.length === 0) break;
      const ids = [...new Set(page.events.flatMap((e) => (e.slateId ? [e.slateId] : [])))];
      const named = new Map((await stores.slates.get(ids)).map((s) => [s.slateId, s]));
      rollup.ingest(page.events, named);
      const a = performance.now();
      adRollup.ingest(page.events, named);
      adRollupMs += performance.now() - a;
      cursor = page.cursor;
    }
    await stores.rollups.addExperimentUnits(1, rollup.snapshot());
    await stores.rollups.addAdReportUnits(1, adRollup.snapshot());
    const rollupSeconds = (performance.now() - rolled) / 1000;

    const ctx = {
      stores,
      config: loadConfig({}, { dataDir: dir }),
      now: () => T0 + DAYS * DAY_MS,
    };
    const t1 = performance.now();
    const results = await experimentResults(ctx, experiment);
    const resultsMs = performance.now() - t1;
    const actor = {
      openid: 'owner',
      admin: false,
      membership: { merchantId: MERCHANT, role: 'owner' as const, joinedAt: T0 },
    };
    const from = dayBucket(T0 + 7 * DAY_MS + 12 * 3_600_000);
    const to = dayBucket(T0 + 13 * DAY_MS + 12 * 3_600_000);
    const t2 = performance.now();
    const rows = await campaignDailyReport(ctx, actor, 'camp-0', from, to);
    const reportMs = performance.now() - t2;
    const t3 = performance.now();
    const seg = await campaignBreakdown(ctx, actor, 'camp-0', from, to, 'segment');
    const breakdownMs = performance.now() - t3;
    // The reference: the read the report made before its rollups (the ad's events of the range
    // and the attribution day before, through the ad's event index), without computing anything.
    const t4 = performance.now();
    const raw = await stores.events.readForAd(
      'camp-0',
      T0 + 6 * DAY_MS - 8 * 3_600_000,
      T0 + 14 * DAY_MS - 8 * 3_600_000,
      Number.MAX_SAFE_INTEGER,
    );
    const rawReadMs = performance.now() - t4;

    const out = {
      events: total,
      resultsMs: Math.round(resultsMs * 10) / 10,
      reportMs: Math.round(reportMs * 10) / 10,
      breakdownMs: Math.round(breakdownMs * 10) / 10,
      rawReadMs: Math.round(rawReadMs * 10) / 10,
      rawEvents: raw.length,
      adRollupSeconds: Math.round(adRollupMs / 100) / 10,
      buildSeconds: Math.round(buildSeconds * 10) / 10,
      rollupSeconds: Math.round(rollupSeconds * 10) / 10,
    };
    if (json) console.log(JSON.stringify(out));
    else {
      console.log(
        `log: ${total} events built in ${out.buildSeconds} s; rollups in ${out.rollupSeconds} s`,
      );
      console.log(
        `experiment.results: ${out.resultsMs} ms (users ${JSON.stringify(results.users)}, target CTR ` +
          `${results.target.variants.map((v) => v.estimate.value.toFixed(4)).join(' / ')})`,
      );
      console.log(
        `report.daily, 7 days of one campaign: ${out.reportMs} ms (${rows.reduce((s, r) => s + r.viewableImpressions, 0)} impressions, ${rows.reduce((s, r) => s + r.orders, 0)} orders)`,
      );
      console.log(
        `reference, the raw read the report made before: ${out.rawReadMs} ms (${out.rawEvents} events); ` +
          `the campaign report rollup's share of the pass: ${out.adRollupSeconds} s`,
      );
      console.log(
        `report.breakdown by segment, same days: ${out.breakdownMs} ms (${seg.rows.map((r) => `${r.key}: ${r.users} users`).join(', ')})`,
      );
    }
  } finally {
    await stores.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`bench:merchant: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
