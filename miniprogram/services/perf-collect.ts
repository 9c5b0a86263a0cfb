/**
 * What the app collects about its own performance (issue 18), each event through the tracker
 * (so sampled by TRACK_SAMPLING and sent only with consent): wx.getPerformance entries as
 * page_perf (a route entry with the page it came from), backend call latency as api_call,
 * wx.onError / wx.onUnhandledRejection / wx.onMemoryWarning as app_error (no message or stack),
 * each with the release version, platform and network type. setData is measured by the
 * `measured` behavior (behaviors/measured.ts), which reports through perfContext() too. When the
 * app hides, what the feed prefetched since the last report goes as one `prefetch` event.
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

export interface PerfEntry {
  name: string;
  duration: number;
  path?: string;
  referrerPath?: string;
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
  const here = (): { page?: string } => {
    const page = currentPage();
    return page ? { page } : {};
  };

  // The tracker's own sends are not measured: each would make another event to send.
  setCallObserver((fn, durationMs, ok) => {
    if (fn !== 'track') tracker.track('api_call', { fn, durationMs, ok, ...ctx(), ...here() });
  });
  w.onError?.(() => tracker.track('app_error', { kind: 'error', ...ctx(), ...here() }));
  w.onUnhandledRejection?.(() =>
    tracker.track('app_error', { kind: 'rejection', ...ctx(), ...here() }),
  );
  w.onMemoryWarning?.((res) =>
    tracker.track('app_error', {
      kind: 'memory',
      ...(typeof res?.level === 'number' ? { level: res.level } : {}),
      ...ctx(),
      ...here(),
    }),
  );

  // The prefetch A/B's cost side: what the feed fetched ahead of taps, and how many opens it served.
  w.onAppHide?.(() => {
    const report = takePrefetchReport();
    if (report) tracker.track('prefetch', { ...report, ...ctx(), page: 'pages/feed/index' });
  });

  const perf = w.getPerformance?.();
  if (!perf) return;
  perf
    .createObserver((list) => {
      for (const entry of list.getEntries()) {
        const metric = PERF_METRICS[entry.name];
        if (!metric || !(entry.duration >= 0)) continue;
        const page = route(entry.path);
        const fromPage = metric === 'route' ? route(entry.referrerPath) : undefined;
        tracker.track('page_perf', {
          metric,
          durationMs: Math.round(entry.duration),
          ...(page ? { page } : {}),
          ...(fromPage ? { fromPage } : {}),
          ...ctx(),
        });
      }
    })
    .observe({ entryTypes: ['navigation', 'render', 'script', 'loadPackage'] });
}
