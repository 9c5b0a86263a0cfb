/**
 * What the app collects about its own performance (issue 18), each event through the tracker
 * (so sampled by TRACK_SAMPLING and sent only with consent): wx.getPerformance entries as
 * page_perf (a route entry with the page it came from), backend call latency as api_call,
 * wx.onError / wx.onUnhandledRejection / wx.onMemoryWarning as app_error (no message or stack),
 * each with the release version, platform and network type. setData is measured by the
 * `measured` behavior (behaviors/measured.ts), which reports through perfContext() too. When the
 * app hides, what the feed prefetched since the last report goes as one `prefetch` event.
 * A launch's entries arrive before the consent is known (the server's record is re-read), so they
 * wait for it in memory (tracker.trackWhenDecided) instead of being dropped: without that, every
 * cold start's appLaunch would be lost.
 */
import type { PagePerfEvent, PerfContext } from '../../typings';
import { setCallObserver } from './api';
import type { Tracker } from './tracker';
import { takePrefetchReport } from './prefetch';

/** performance entry → page_perf metric: only the entries the event contract names. */
const PERF_METRICS: Record<string, PagePerfEvent['metric']> = {
  appLaunch: 'appLaunch',
  route: 'route',
  firstRender: 'firstRender',
  firstPaint: 'firstPaint',
  firstContentfulPaint: 'firstContentfulPaint',
  largestContentfulPaint: 'largestContentfulPaint',
  evaluateScript: 'evaluateScript',
  downloadPackage: 'loadPackage',
};

/**
 * firstPaint, firstContentfulPaint and largestContentfulPaint are points in time with no duration
 * (PerformanceEntry docs: 时间点，无 duration): their timing is the point's startTime less the start
 * of the navigation that opened the page (its appLaunch or route entry, matched by pageId, else by
 * path), i.e. the time from the tap (or the launch) to the paint, as WeChat's own FCP / LCP count it.
 */
const POINT_METRICS = new Set(['firstPaint', 'firstContentfulPaint', 'largestContentfulPaint']);
/** Navigations remembered (and paints waiting for theirs): a few pages' worth, bounded. */
const MAX_NAVIGATIONS = 20;
/** The longest timing the event schema takes (10 minutes): anything longer is not a measurement. */
const MAX_MS = 600_000;
const inRange = (ms: number): boolean => ms >= 0 && ms <= MAX_MS;

export interface PerfEntry {
  name: string;
  entryType?: string;
  duration?: number;
  startTime?: number;
  path?: string;
  pageId?: number;
  referrerPath?: string;
  /** evaluateScript: the package whose code was injected (`__APP__` for the main package). */
  moduleName?: string;
  /** downloadPackage: the package downloaded. */
  packageName?: string;
}

/** The wx calls collection uses; the real wx satisfies it, each optional (older base libraries). */
export interface PerfWx {
  getPerformance?(): {
    createObserver(cb: (list: { getEntries(): PerfEntry[] }) => void): {
      observe(o: { entryTypes: string[] }): void;
    };
  };
  getAccountInfoSync?(): { miniProgram: { version?: string; envVersion?: string } };
  getDeviceInfo?(): { platform?: string };
  getNetworkType?(o: { success(res: { networkType: string }): void }): void;
  onNetworkStatusChange?(cb: (res: { networkType: string }) => void): void;
  onError?(cb: (message: string) => void): void;
  onUnhandledRejection?(cb: (res: unknown) => void): void;
  onMemoryWarning?(cb: (res: { level?: number }) => void): void;
  onAppHide?(cb: () => void): void;
}

/** A value as the server's schema takes it: letters, digits, _ . - only, bounded. */
const token = (v: string | undefined, max: number): string | undefined => {
  const t = (v ?? '').replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, max);
  return t || undefined;
};
/** A page route as the schema takes it (no leading slash, no query). */
const route = (p: string | undefined): string | undefined => {
  const r = (p ?? '').replace(/^\//, '').split('?')[0];
  return /^[A-Za-z0-9_/-]{1,128}$/.test(r) ? r : undefined;
};

let context: PerfContext = {};

/** The release, platform and network of this run, as every perf event carries them. */
export function perfContext(): PerfContext {
  return context;
}

/** The route of the page on top (for errors, which name none), else the app's. */
function currentPage(): string | undefined {
  const g = globalThis as { getCurrentPages?: () => { route?: string }[] };
  const pages = g.getCurrentPages?.() ?? [];
  return route(pages[pages.length - 1]?.route);
}

/** Before any page exists (a launch's script and package entries): the app as a whole. */
export const APP_PAGE = 'app';
/**
 * The page an entry is reported under: its path (render and navigation entries), else the package
 * it loaded (script and loadPackage entries name no page: `package/__APP__`, `package/merchant`),
 * else the page on top, else the app. Never empty: `track` refuses an event without a page.
 */
function entryPage(entry: PerfEntry): string {
  const pkg = token(entry.moduleName ?? entry.packageName, 64);
  return route(entry.path) ?? (pkg ? `package/${pkg}` : undefined) ?? currentPage() ?? APP_PAGE;
}

/**
 * Turns entries into (metric, page, duration): phases as their duration, paints (POINT_METRICS)
 * from their page's navigation start. A paint whose navigation has not been seen yet waits for it
 * (entries of one page may come in separate lists); one that never gets it is not reported.
 */
export function createEntryTimer(): (entry: PerfEntry) => Array<{
  entry: PerfEntry;
  metric: PagePerfEvent['metric'];
  durationMs: number;
}> {
  const starts = new Map<string, number>(); // page key → navigation startTime
  const waiting = new Map<string, PerfEntry[]>(); // page key → paints before their navigation
  // An entry's page by its instance id (base library ≥ 2.23.1), then by its path: a navigation is
  // kept under both, a paint is matched by its first (the id when it has one: a path opened again
  // is another instance), so a library without ids still matches by path.
  const keysOf = (e: PerfEntry): string[] => [
    ...(typeof e.pageId === 'number' ? [`id:${e.pageId}`] : []),
    ...(route(e.path) ? [`path:${route(e.path)}`] : []),
  ];
  const bounded = <V>(m: Map<string, V>, key: string, value: V): void => {
    m.delete(key);
    m.set(key, value);
    if (m.size > MAX_NAVIGATIONS) m.delete(m.keys().next().value as string);
  };
  const paint = (e: PerfEntry, start: number) => {
    const d = (e.startTime ?? Number.NaN) - start;
    return inRange(d) ? [{ entry: e, metric: PERF_METRICS[e.name], durationMs: d }] : [];
  };
  return (entry) => {
    const metric = PERF_METRICS[entry.name];
    if (!metric) return [];
    const keys = keysOf(entry);
    if (POINT_METRICS.has(entry.name)) {
      const k = keys[0];
      if (k === undefined) return [];
      const start = starts.get(k);
      if (start !== undefined) return paint(entry, start);
      bounded(waiting, k, [...(waiting.get(k) ?? []), entry].slice(-POINT_METRICS.size));
      return [];
    }
    const out = inRange(entry.duration ?? Number.NaN)
      ? [{ entry, metric, durationMs: entry.duration as number }]
      : [];
    const start = entry.startTime ?? -1;
    if ((metric === 'appLaunch' || metric === 'route') && start >= 0)
      for (const k of keys) {
        bounded(starts, k, start);
        for (const p of waiting.get(k) ?? []) out.push(...paint(p, start));
        waiting.delete(k);
      }
    return out;
  };
}

/** Called once at launch from startAnalytics. */
export function startPerfCollection(w: PerfWx, tracker: Tracker): void {
  const info = w.getAccountInfoSync?.().miniProgram;
  context = {
    appVersion: token(info?.version || info?.envVersion, 32),
    platform: token(w.getDeviceInfo?.().platform, 16),
  };
  const network = (n: string) => (context = { ...context, network: token(n, 16) });
  w.getNetworkType?.({ success: (res) => network(res.networkType) });
  w.onNetworkStatusChange?.((res) => network(res.networkType));

  const ctx = (): PerfContext =>
    Object.fromEntries(Object.entries(context).filter(([, v]) => v)) as PerfContext;
  const here = (): { page: string } => ({ page: currentPage() ?? APP_PAGE });

  // Held while the consent is undecided (a launch's entries and calls), then tracked or dropped.
  const track = tracker.trackWhenDecided.bind(tracker);

  // The tracker's own sends are not measured: each would make another event to send.
  setCallObserver((fn, durationMs, ok) => {
    if (fn !== 'track') track('api_call', { fn, durationMs, ok, ...ctx(), ...here() });
  });
  w.onError?.(() => track('app_error', { kind: 'error', ...ctx(), ...here() }));
  w.onUnhandledRejection?.(() => track('app_error', { kind: 'rejection', ...ctx(), ...here() }));
  w.onMemoryWarning?.((res) =>
    track('app_error', {
      kind: 'memory',
      ...(typeof res?.level === 'number' ? { level: res.level } : {}),
      ...ctx(),
      ...here(),
    }),
  );

  // The prefetch A/B's cost side: what the feed fetched ahead of taps, and how many opens it served.
  w.onAppHide?.(() => {
    const report = takePrefetchReport();
    if (report) track('prefetch', { ...report, ...ctx(), page: 'pages/feed/index' });
  });

  const perf = w.getPerformance?.();
  if (!perf) return;
  const timed = createEntryTimer();
  perf
    .createObserver((list) => {
      for (const { entry, metric, durationMs } of list.getEntries().flatMap(timed)) {
        const fromPage = metric === 'route' ? route(entry.referrerPath) : undefined;
        track('page_perf', {
          metric,
          durationMs: Math.round(durationMs),
          page: entryPage(entry),
          ...(fromPage ? { fromPage } : {}),
          ...ctx(),
        });
      }
    })
    .observe({ entryTypes: ['navigation', 'render', 'script', 'loadPackage'] });
}
