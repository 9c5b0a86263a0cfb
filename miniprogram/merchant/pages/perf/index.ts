/**
 * 性能 (platform admins): the Mini Program's performance from `merchant` perf.report: flagged
 * release regressions, each version's p50 / p90 / p99 per page as bars, the per-page table
 * (views, error rate, setData over budget), the funnels (app-wide, then per version on the chosen
 * platform, with the releases whose step conversion fell) and feature tap rates. A caller who is
 * not a platform admin gets the server's refusal. Written with Component().
 */
import type { PerfReport } from '../../../../typings';
import { callAction } from '../../../services/api';
import { loadable } from '../../../behaviors/loadable';
import {
  chartGroups,
  funnelPlatforms,
  funnelRegressionRows,
  funnelRows,
  versionFunnelRows,
  featureRows,
  metricName,
  metricsOf,
  regressionRows,
  tableRows,
  type ChartGroup,
  type FunnelRow,
  type RegressionRow,
  type TableRow,
  type VersionFunnelRow,
} from './view';

interface PerfData {
  metric: string;
  metrics: { id: string; label: string }[];
  versions: string;
  compared: number;
  regressions: RegressionRow[];
  groups: ChartGroup[];
  rows: TableRow[];
  funnels: FunnelRow[];
  platform: string;
  platforms: { id: string; label: string }[];
  versionFunnels: VersionFunnelRow[];
  funnelRegressions: RegressionRow[];
  funnelCompared: number;
  funnelTestMin: number;
  features: { key: string; text: string }[];
}

type MetricTap = WechatMiniprogram.BaseEvent<Record<string, never>, { metric?: string }>;
type PlatformTap = WechatMiniprogram.BaseEvent<Record<string, never>, { platform?: string }>;

type PerfMethods = {
  load(): Promise<void>;
  onMetric(e: MetricTap): void;
  onPlatform(e: PlatformTap): void;
  show(metric: string): void;
};

interface PerfInstance {
  report: PerfReport | null;
}

Component<PerfData, Record<string, never>, PerfMethods, [typeof loadable], PerfInstance, true>({
  behaviors: [loadable],

  data: {
    metric: 'firstRender',
    metrics: [],
    versions: '',
    compared: 0,
    regressions: [],
    groups: [],
    rows: [],
    funnels: [],
    platform: '*',
    platforms: [],
    versionFunnels: [],
    funnelRegressions: [],
    funnelCompared: 0,
    funnelTestMin: 0,
    features: [],
  },

  lifetimes: {
    created() {
      this.report = null;
    },
  },

  methods: {
    async load() {
      try {
        const res = await callAction('merchant', { action: 'perf.report' });
        this.report = res.report;
        const metrics = metricsOf(res.report);
        const platforms = funnelPlatforms(res.report);
        const platform = platforms.some((p) => p.id === this.data.platform)
          ? this.data.platform
          : '*';
        this.setData({
          status: 'ready',
          metrics: metrics.map((id) => ({ id, label: metricName(id) })),
          versions: res.report.versions.join('、'),
          compared: res.report.regressions.length,
          regressions: regressionRows(res.report),
          funnels: funnelRows(res.report),
          platform,
          platforms,
          versionFunnels: versionFunnelRows(res.report, platform),
          funnelRegressions: funnelRegressionRows(res.report),
          funnelCompared: res.report.funnelRegressions.length,
          funnelTestMin: res.report.funnelTest.minCount,
          features: featureRows(res.report),
        });
        this.show(
          metrics.includes(this.data.metric) ? this.data.metric : (metrics[0] ?? 'firstRender'),
        );
      } catch (err) {
        this.showFailure(err);
      }
    },

    onMetric(e) {
      const metric = e.currentTarget.dataset.metric;
      if (metric && metric !== this.data.metric) this.show(metric);
    },

    /** Only the funnels per version depend on the platform. */
    onPlatform(e) {
      const platform = e.currentTarget.dataset.platform;
      if (!this.report || !platform || platform === this.data.platform) return;
      this.setData({ platform, versionFunnels: versionFunnelRows(this.report, platform) });
    },

    /** Only the chart and the table depend on the metric: one setData of those. */
    show(metric) {
      if (!this.report) return;
      this.setData({
        metric,
        groups: chartGroups(this.report, metric),
        rows: tableRows(this.report, metric),
      });
    },
  },
});
