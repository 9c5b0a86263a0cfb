/**
 * Timeouts in the cloud (issue 21, point 4): every function sets its own (the platform default
 * is 3 s), none is longer than the platform allows, the pending-event sweep waits past the
 * longest, and a cold start's counter reads go in parallel rather than one after another.
 */
import { MAX_FUNCTION_TIMEOUT_SECONDS } from '../../server/config';
import { PENDING_STALE_MS } from '../../server/adapters/cloud/event-log';
import { MAX_IN_FLIGHT } from '../../server/adapters/cloud/sdk';
import { functions } from '../../server/functions';
import { cloudTransport, openTempCloudStores } from '../helpers/adapters';

describe('cloud function timeouts', () => {
  it.each(Object.values(functions).map((f) => [f.name, f] as const))(
    '%s sets a timeout within the platform maximum',
    (_name, def) => {
      const t = def.cloud?.timeoutSeconds;
      expect(t).toBeGreaterThanOrEqual(5);
      expect(t).toBeLessThanOrEqual(MAX_FUNCTION_TIMEOUT_SECONDS);
    },
  );

  it('sweeps pending events only after every function would have timed out', () => {
    const longest = Math.max(...Object.values(functions).map((f) => f.cloud?.timeoutSeconds ?? 0));
    expect(PENDING_STALE_MS).toBeGreaterThan(longest * 1000);
    expect(PENDING_STALE_MS).toBeGreaterThan(MAX_FUNCTION_TIMEOUT_SECONDS * 1000);
  });
});

describe('cold-start counter reads', () => {
  it('reads many items’ counters with several requests in flight, bounded', async () => {
    const opened = await openTempCloudStores();
    try {
      const ids = Array.from({ length: 1500 }, (_, i) => `item${i}`);
      await opened.stores.counters.add(
        ids
          .slice(0, 50)
          .map((id) => ({ scope: 'item', id, bucket: '20261205', field: 'click', by: 1 })),
      );
      const t = cloudTransport()!;
      t.resetPeak();
      const before = t.actions.length;
      const read = await opened.stores.counters.read('item', ids, '20261205');
      expect(t.peakInFlight()).toBeGreaterThan(1);
      expect(t.peakInFlight()).toBeLessThanOrEqual(MAX_IN_FLIGHT);
      expect(t.actions.slice(before)).toEqual(Array(15).fill('database.getDocument'));
      expect(Object.keys(read).sort()).toEqual(ids.slice(0, 50).sort());
    } finally {
      await opened.cleanup();
    }
  });
});
