/** The 性能 page's pure parts: page names, the per-version quantile bars, regression and funnel rows (app-wide, per version × platform, funnel regressions). */
import type { PerfReport } from '../../../../typings';

const PAGE_NAMES: Record<string, string> = {
  'pages/feed/index': '首页',
  'pages/detail/index': '详情',
  'pages/ad/index': '广告落地页',
  'pages/me/index': '我的',
  'pages/support/index': '智能客服',
  'pages/search/index': '搜索',
  'pages/onboarding/index': '选择兴趣',
  'pages/export/index': '导出内容',
  // services/perf-collect.ts: what no page is on top of (a launch), and the packages' own entries
  app: '小程序（无页面）',
  'package/__APP__': '主包',
};

/** A page route as people name it (a package by its name; unknown routes as they are). */
export const pageName = (route: string): string =>
  PAGE_NAMES[route] ??
  (route.startsWith('package/') ? `分包 ${route.slice('package/'.length)}` : route);

export const METRIC_NAMES: Record<string, string> = {
  firstRender: '首次渲染',
  firstPaint: '首次绘制',
  firstContentfulPaint: '首次内容绘制',
  largestContentfulPaint: '最大内容绘制',
  route: '页面切换',
  appLaunch: '启动',
  evaluateScript: '脚本注入',
  loadPackage: '分包下载',
  timeToContent: '内容可见',
};
export const metricName = (m: string): string =>
  METRIC_NAMES[m] ?? (m.startsWith('call.') ? `请求 ${m.slice(5)}` : m);

const ms = (x: number): string => `${Math.round(x)} ms`;
const percent = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

export interface RegressionRow {
  key: string;
  title: string;
  detail: string;
}

/** The flagged regressions, worst first. */
export function regressionRows(r: PerfReport): RegressionRow[] {
  return r.regressions
    .filter((x) => x.flagged)
    .sort((a, b) => b.ratio - a.ratio)
    .map((x) => ({
      key: `${x.page}|${x.metric}|${x.version}`,
      title: `${pageName(x.page)} · ${metricName(x.metric)}：${x.baselineVersion} → ${x.version}`,
      detail:
        `p90 ${ms(x.baselineP90)} → ${ms(x.p90)}（+${Math.round((x.ratio - 1) * 100)}%），` +
        `样本 ${x.baselineN} / ${x.n}，p ${x.pValue < 0.001 ? '< 0.001' : `= ${x.pValue.toFixed(3)}`}`,
    }));
}

export interface Bar {
  label: string;
  /** Width in % of the group's longest (its largest p99). */
  width: number;
  text: string;
}
export interface ChartGroup {
  key: string;
  title: string;
  versions: { version: string; n: number; bars: Bar[] }[];
}

/** Per page, each version's p50 / p90 / p99 of one metric as bars on the page's own scale. */
export function chartGroups(r: PerfReport, metric: string): ChartGroup[] {
  const byPage = new Map<string, PerfReport['quantiles']>();
  for (const q of r.quantiles)
    if (q.metric === metric) byPage.set(q.page, [...(byPage.get(q.page) ?? []), q]);
  return [...byPage].map(([page, qs]) => {
    const top = Math.max(...qs.map((q) => q.p99), 1);
    const bar = (label: string, v: number): Bar => ({
      label,
      width: Math.max(1, Math.round((v / top) * 100)),
      text: ms(v),
    });
    return {
      key: page,
      title: pageName(page),
      versions: qs.map((q) => ({
        version: q.version,
        n: q.n,
        bars: [bar('p50', q.p50), bar('p90', q.p90), bar('p99', q.p99)],
      })),
    };
  });
}

export interface TableRow {
  key: string;
  page: string;
  version: string;
  platform: string;
  views: number;
  errorRate: string;
  setData: string;
  timing: string;
}

/** The per-page table: one row per page × version × platform, with the chosen metric's quantiles. */
export function tableRows(r: PerfReport, metric: string): TableRow[] {
  return r.pages.map((p) => {
    const t = p.timings[metric];
    return {
      key: `${p.page}|${p.version}|${p.platform}`,
      page: pageName(p.page),
      version: p.version,
      platform: p.platform,
      views: p.views,
      errorRate: percent(p.errorRate),
      setData: `${p.setDataBreaches} / ${p.setDataReports}`,
      timing: t ? `${Math.round(t.p50)} / ${Math.round(t.p90)} / ${Math.round(t.p99)}` : '—',
    };
  });
}

const STEP_NAMES: Record<string, string> = {
  'feed.impression': '首页曝光',
  'feed.open': '打开详情',
  'detail.like': '点赞',
  'detail.comment': '评论',
  'detail.share': '分享',
  'ad.impression': '广告曝光',
  'ad.landing': '落地页',
  'ad.pay': '支付（已核验订单）',
};

export interface FunnelRow {
  key: string;
  title: string;
  steps: { step: string; label: string; count: number; conversion: string }[];
}

export function funnelRows(r: PerfReport): FunnelRow[] {
  return r.funnels.map((f) => ({
    key: f.name,
    title: f.name === 'content' ? '内容漏斗' : '广告漏斗',
    steps: f.steps.map((s) => ({
      step: s.step,
      label: STEP_NAMES[s.step] ?? s.step,
      count: s.count,
      conversion: s.conversion === null ? '' : percent(s.conversion),
    })),
  }));
}

/** The platform filter of the funnels per version: all platforms (`*`) first, then each seen. */
export function funnelPlatforms(r: PerfReport): { id: string; label: string }[] {
  const seen = new Set(r.funnelsByVersion.map((f) => f.platform).filter((p) => p !== '*'));
  return ['*', ...[...seen].sort()].map((id) => ({ id, label: platformName(id) }));
}

export const platformName = (p: string): string =>
  p === '*' ? '全部平台' : p === 'unknown' ? '未知平台' : p;

/** `*`: cells rolled up before funnels carried a version; `unknown`: sessions no event named a release of. */
export const versionName = (v: string): string =>
  v === '*' ? '未分版本（旧数据）' : v === 'unknown' ? '未知版本' : v;

export interface VersionFunnelRow {
  key: string;
  title: string;
  text: string;
}

/** Each version's funnels on one platform (`*`: all), newest release first, as one line of steps. */
export function versionFunnelRows(r: PerfReport, platform: string): VersionFunnelRow[] {
  return r.funnelsByVersion
    .filter((f) => f.platform === platform)
    .reverse()
    .map((f) => ({
      key: `${f.name}|${f.version}|${f.platform}`,
      title: `${f.name === 'content' ? '内容漏斗' : '广告漏斗'} · ${versionName(f.version)}`,
      text: f.steps
        .map(
          (s) =>
            `${STEP_NAMES[s.step] ?? s.step} ${s.count}` +
            (s.conversion === null ? '' : `（${percent(s.conversion)}）`),
        )
        .join(' → '),
    }));
}

/** The flagged funnel regressions: a step's conversion lower than in the previous release. */
export function funnelRegressionRows(r: PerfReport): RegressionRow[] {
  return r.funnelRegressions
    .filter((x) => x.flagged)
    .map((x) => ({
      key: `${x.funnel}|${x.step}|${x.version}`,
      title: `${x.funnel === 'content' ? '内容漏斗' : '广告漏斗'} · ${STEP_NAMES[x.step] ?? x.step}：${x.baselineVersion} → ${x.version}`,
      detail:
        `转化 ${percent(x.baselineConversion)} → ${percent(x.conversion)}，` +
        `样本 ${x.baselineN} / ${x.n}，p ${x.pValue < 0.001 ? '< 0.001' : `= ${x.pValue.toFixed(3)}`}`,
    }));
}

/** The metrics the report has quantiles of, the page's tabs (known ones first). */
export function metricsOf(r: PerfReport): string[] {
  const seen = new Set(r.quantiles.map((q) => q.metric));
  const known = Object.keys(METRIC_NAMES).filter((m) => seen.has(m));
  return [...known, ...[...seen].filter((m) => !known.includes(m)).sort()];
}

/** The ten most tapped features, each with its release and platform (none for older roll-ups) and its rate per view. */
export function featureRows(r: PerfReport): { key: string; text: string }[] {
  return r.features.slice(0, 10).map((f) => {
    const where = f.version === '*' ? '' : `（${f.version} ${f.platform}）`;
    const rate = f.rate === null ? '' : `（每次浏览 ${(f.rate * 100).toFixed(1)}%）`;
    return {
      key: `${f.feature}|${f.page}|${f.version}|${f.platform}`,
      text: `${f.feature}${where}：${f.taps} 次${rate}`,
    };
  });
}
