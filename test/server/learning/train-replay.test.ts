/** `train` replayed after a crash between its profile/neighbour writes and its checkpoint counts nothing twice (both adapters). */
import { mulberry32 } from '../../../server/engine/models/rng';
import { DEFAULT_ITEM_MODEL } from '../../../server/learning/item-model';
import {
  runTraining,
  type TrainContext,
  type TrainOptions,
} from '../../../server/learning/training-run';
import type { StoredEvent, Stores } from '../../../server/ports';
import { makeItem } from '../../helpers/fixtures';
import { bothAdapters } from '../../helpers/adapters';

const MIN = 60_000;
jest.setTimeout(30_000);
const T0 = Date.UTC(2026, 10, 28, 2, 0, 0);
const ITEMS = Array.from({ length: 12 }, (_, i) =>
  makeItem(`it-${i}`, { category: `c${i % 3}`, tags: [`t${i % 4}`] }),
);
const USERS = ['u0', 'u1', 'u2', 'u3'];

/** A seeded burst of impressions, clicks and likes by four users (no slates: profiles and neighbours only). */
async function traffic(s: Stores, at: number, seed: number): Promise<void> {
  const rand = mulberry32(seed);
  const events: StoredEvent[] = [];
  for (let k = 0; k < 40; k++) {
    const openid = USERS[k % USERS.length];
    const itemId = ITEMS[Math.floor(rand() * ITEMS.length)].id;
    const base = {
      openid,
      clientTime: at + k,
      clockSkewed: false,
      sessionId: 's',
      page: 'pages/feed/index',
      itemId,
      props: {},
    };
    events.push({ ...base, eventId: `e${seed}-${k}-i`, serverTime: at + k, type: 'impression' });
    if (rand() < 0.5)
      events.push({ ...base, eventId: `e${seed}-${k}-c`, serverTime: at + k, type: 'click' });
    if (rand() < 0.3)
      events.push({ ...base, eventId: `e${seed}-${k}-l`, serverTime: at + k, type: 'like' });
  }
  await s.events.append(events);
}

describe.each(bothAdapters)('train replay on %s', (_name, open) => {
  const itemIds = ITEMS.map((i) => i.id);

  /** Two rounds of traffic and training; with `crash`, the second round's first run dies after its derived writes. */
  async function scenario(
    kind: 'cosine' | 'ease',
    crash: boolean,
  ): Promise<{ profiles: unknown; neighbours: unknown }> {
    const opened = await open();
    const s = opened.stores;
    try {
      let now = T0;
      const ctx: TrainContext = {
        stores: s,
        now: () => now,
        log: { info: () => undefined, error: () => undefined },
      };
      const opts: Partial<TrainOptions> = { itemModel: { ...DEFAULT_ITEM_MODEL, kind } };
      await s.catalog.upsert(ITEMS);
      await traffic(s, T0, 1);
      now = T0 + 10 * MIN;
      expect(await runTraining(ctx, opts)).toMatchObject({ status: 'trained' });
      await traffic(s, now, 2);
      now += 10 * MIN;
      if (crash) {
        const save = s.checkpoints.save.bind(s.checkpoints);
        s.checkpoints.save = () => Promise.reject(new Error('instance killed'));
        await expect(runTraining(ctx, opts)).rejects.toThrow('instance killed');
        s.checkpoints.save = save;
        // The crashed run's profile writes did land: the replay below has something to double count.
        expect((await s.checkpoints.get('train'))?.rev).toBe(1);
      }
      expect(await runTraining(ctx, opts)).toMatchObject({ status: 'trained' });
      expect((await s.checkpoints.get('train'))?.rev).toBe(2);
      const byId = <T>(xs: T[], id: (x: T) => string): T[] =>
        [...xs].sort((a, b) => id(a).localeCompare(id(b)));
      return {
        profiles: byId(await s.profiles.get(USERS), (p) => p.openid),
        neighbours: byId(await s.neighbours.get(itemIds), (l) => l.itemId),
      };
    } finally {
      await opened.cleanup();
    }
  }

  it.each(['cosine', 'ease'] as const)(
    'leaves the same profiles and %s neighbour lists as a crash-free run',
    async (kind) => {
      const clean = await scenario(kind, false);
      const replayed = await scenario(kind, true);
      expect((clean.profiles as unknown[]).length).toBe(USERS.length);
      expect(replayed).toEqual(clean);
    },
  );
});
