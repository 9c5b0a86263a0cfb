/**
 * The trainer's settle window covers every event writer's timeout: an event stamped when its
 * `track` call starts and written as late as that call's timeout is still read (cloud adapter,
 * whose cursor is the server time), and the default window follows the configured timeouts.
 */
import { functions } from '../../../server/functions';
import { settleWindowMs, TRACK_TIMEOUT_SECONDS } from '../../../server/events/writers';
import { DEFAULT_TRAIN_OPTIONS, runTraining } from '../../../server/learning/training-run';
import { makeEvent } from '../../helpers/fixtures';
import { openTempCloudStores } from '../../helpers/adapters';

const T0 = Date.UTC(2026, 10, 28, 2, 0, 0);

describe('settle window', () => {
  it('is longer than the timeout of every function that appends events', () => {
    for (const def of [functions.track, functions.content]) {
      expect(def.cloud?.timeoutSeconds).toBeDefined();
      expect(DEFAULT_TRAIN_OPTIONS.settleMs).toBeGreaterThan(def.cloud!.timeoutSeconds! * 1000);
    }
    expect(settleWindowMs([10, 30], 2000)).toBe(32_000);
    expect(DEFAULT_TRAIN_OPTIONS.settleMs).toBe(settleWindowMs());
  });

  it('reads an event written at the end of its track call, after a training run in between', async () => {
    const opened = await openTempCloudStores();
    try {
      const s = opened.stores;
      let now = T0;
      const ctx = {
        stores: s,
        now: () => now,
        log: { info: () => undefined, error: () => undefined },
      };
      const ev = (id: string, serverTime: number) =>
        makeEvent({
          openid: 'u1',
          eventId: id,
          serverTime,
          clientTime: serverTime,
          type: 'impression',
        });
      // Call A stamps T0 and is slow: its event lands TRACK_TIMEOUT − 1 s later. Call B stamps T0 + 0.5 s and lands at once.
      await s.events.append([ev('b', T0 + 500)]);
      now = T0 + 6_000;
      const first = await runTraining(ctx, { minExamples: 1 });
      now = T0 + (TRACK_TIMEOUT_SECONDS - 1) * 1000;
      await s.events.append([ev('a', T0)]);
      now = T0 + 60_000;
      const second = await runTraining(ctx, { minExamples: 1 });
      expect(first.events + second.events).toBe(2);
    } finally {
      await opened.cleanup();
    }
  });
});
