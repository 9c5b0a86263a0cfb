/** Feature use (issue 18): a named tap is sent once, before the handler runs (the WXML names: test/server/tools/feature-names.test.ts). */
import { setTracker } from '../../../miniprogram/services/analytics';
import { featureOf, withTaps } from '../../../miniprogram/services/features';
import { startPerfCollection } from '../../../miniprogram/services/perf-collect';
import type { Tracker } from '../../../miniprogram/services/tracker';
import { recordingTracker, tapsOf } from '../helpers/recording-tracker';

describe('withTaps', () => {
  afterEach(() => setTracker(null));
  const event = (feature?: string) => ({ currentTarget: { dataset: feature ? { feature } : {} } });

  it('sends a named tap once before the handler runs, keeping this and the arguments', () => {
    const tracked = recordingTracker({ withTaps: true });
    const seen: unknown[] = [];
    const methods = withTaps({
      onLike(this: { id: string }, e: unknown, extra: number) {
        seen.push([this.id, tapsOf(tracked).length, extra]);
        (methods.onInner as (e: unknown) => void).call(this, e); // the same event passed on
        return 'done';
      },
      onInner() {
        seen.push('inner');
      },
      label: 'not a method',
    });
    const result = (methods.onLike as (e: unknown, x: number) => unknown).call(
      { id: 'page' },
      event('detail.like'),
      7,
    );
    expect(result).toBe('done');
    expect(seen).toEqual([['page', 1, 7], 'inner']);
    expect(tracked).toEqual([['tap', { feature: 'detail.like' }]]);
    expect(methods.label).toBe('not a method');
  });

  it('sends nothing for unnamed elements, bad names or calls without an event', () => {
    const tracked = recordingTracker({ withTaps: true });
    const methods = withTaps({ onTap: () => 1 });
    const onTap = methods.onTap as (e?: unknown) => number;
    onTap(event());
    onTap(event('Bad Name'));
    onTap();
    onTap({ detail: 1 });
    expect(tracked).toEqual([]);
    expect(featureOf(event('me.export.copy'))).toBe('me.export.copy');
    expect(featureOf(event('feed'))).toBeNull();
  });

  it('wraps a method once when a definition passes through two filters', () => {
    const tracked = recordingTracker({ withTaps: true });
    const methods = withTaps(withTaps({ onTap: () => 1 }));
    (methods.onTap as (e: unknown) => void)(event('feed.card'));
    expect(tapsOf(tracked)).toEqual(['feed.card']);
  });

  it('sends the release and platform with the tap, so tap rates are per page × version × platform', () => {
    startPerfCollection(
      {
        getAccountInfoSync: () => ({ miniProgram: { version: '1.4.0' } }),
        getDeviceInfo: () => ({ platform: 'android' }),
      },
      { trackWhenDecided: () => undefined } as unknown as Tracker,
    );
    const tracked = recordingTracker({ withTaps: true });
    const methods = withTaps({ onLike: () => undefined });
    (methods.onLike as (e: unknown) => void)(event('detail.like'));
    expect(tracked).toEqual([
      ['tap', { feature: 'detail.like', appVersion: '1.4.0', platform: 'android' }],
    ]);
  });
});
