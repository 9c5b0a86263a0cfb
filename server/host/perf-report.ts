/**
 * `npm run perf:report [-- --json]`: the Mini Program performance report from the local perf
 * rollups (DATA_DIR), the same the admin's 性能 page shows: per page × version × platform
 * timings, error rate and setData budget breaches, each release against the previous one
 * (flagged p90 regressions), feature tap rates and the funnels (app-wide, per version × platform,
 * and each release's step conversions against the previous release's). `--json` prints the report.
 */
import type { PerfReport } from '../../typings';
import { openSqliteStores } from '../adapters/sqlite';
import { loadConfig } from '../config';
import type { SamplingRates } from '../engine/perf/metrics';
import { buildReport } from '../engine/perf/report';
import type { Stores } from '../ports';

const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);

/** The report as lines of text for people. */
export function formatReport(r: PerfReport): string[] {
  const out: string[] = [];
  if (r.pages.length === 0 && r.funnels.every((f) => f.steps.every((s) => !s.count)))
    return ['perf: no rollups yet (run `npm run train` after the Mini Program sent perf events)'];
  out.push(`perf: versions ${r.versions.join(', ') || '-'}`);
  out.push(
    'page | version | platform | views | errors | setData over budget | each distribution p50/p90/p99 (n): timings and call.* in ms, setData.* in bytes or calls a second',
  );
  for (const p of r.pages) {
    const timings = Object.entries(p.timings)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([m, t]) => `${m} ${t.p50}/${t.p90}/${t.p99} (${t.n})`);
    out.push(
      `${p.page} | ${p.version} | ${p.platform} | ${p.views} | ${pct(p.errorRate)} | ` +
        `${p.setDataBreaches}/${p.setDataReports} | ${timings.join('; ') || '-'}`,
    );
  }
  const flagged = r.regressions.filter((x) => x.flagged);
  out.push(
    `regressions (p${r.test.quantile * 100} > ${Math.round((r.test.minRatio - 1) * 100)} % slower, p < ${r.test.alpha}): ` +
      `${flagged.length} of ${r.regressions.length} comparisons`,
  );
  for (const x of flagged)
    out.push(
      `  ${x.page} ${x.metric}: ${x.baselineVersion} → ${x.version} p90 ${x.baselineP90} → ${x.p90} ms ` +
        `(×${x.ratio}, n ${x.baselineN} / ${x.n}, p ${x.pValue.toExponential(1)})`,
    );
  const steps = (f: PerfReport['funnels'][number]) =>
    f.steps
      .map((s) => `${s.step} ${s.count}${s.conversion === null ? '' : ` (${pct(s.conversion)})`}`)
      .join(' → ');
  for (const f of r.funnels) out.push(`funnel ${f.name}: ${steps(f)}`);
  for (const f of r.funnelsByVersion)
    out.push(`funnel ${f.name} ${f.version}/${f.platform}: ${steps(f)}`);
  const fell = r.funnelRegressions.filter((x) => x.flagged);
  out.push(
    `funnel regressions (conversion lower, one-sided p < ${r.funnelTest.alpha}, ≥ ${r.funnelTest.minCount} trials a side): ` +
      `${fell.length} of ${r.funnelRegressions.length} comparisons`,
  );
  for (const x of fell)
    out.push(
      `  ${x.funnel} ${x.step}: ${x.baselineVersion} → ${x.version} ${pct(x.baselineConversion)} → ${pct(x.conversion)} ` +
        `(n ${x.baselineN} / ${x.n}, p ${x.pValue.toExponential(1)})`,
    );
  if (r.features.length)
    out.push(
      'features: ' +
        r.features
          .slice(0, 10)
          .map(
            (f) => `${f.feature}@${f.page} ${f.version}/${f.platform} ${f.taps} (${pct(f.rate)})`,
          )
          .join(', '),
    );
  return out;
}

export async function perfReportCli(
  stores: Pick<Stores, 'rollups'>,
  argv: readonly string[],
  print: (line: string) => void,
  sampling?: SamplingRates,
): Promise<void> {
  const report = buildReport(await stores.rollups.perfCells(), { sampling });
  if (argv.includes('--json')) print(JSON.stringify(report));
  else for (const line of formatReport(report)) print(line);
}

if (require.main === module) {
  const config = loadConfig();
  const stores = openSqliteStores(config);
  perfReportCli(stores, process.argv.slice(2), (l) => console.log(l), config.trackSampling)
    .catch((err: unknown) => {
      console.error(`perf:report: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    })
    .finally(() => stores.close());
}
