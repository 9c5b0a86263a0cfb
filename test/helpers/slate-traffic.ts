/**
 * Seeded feed traffic for the training tests: logged slates of 6 items and their impressions and
 * clicks. Slate k goes to users[k % users.length]; user u loves category cats[u % cats.length]
 * and clicks it with probability 0.6, anything else with 0.05 (the reverse when `invert`).
 */
import type { ContentItem } from '../../typings';
import { mulberry32 } from '../../server/engine/models/rng';
import type { StoredEvent, Stores } from '../../server/ports';

export interface TrafficWorld {
  items: ContentItem[];
  cats: string[];
  users: string[];
}

export async function slateTraffic(
  s: Stores,
  w: TrafficWorld,
  at: number,
  seed: number,
  slates: number,
  invert = false,
): Promise<void> {
  const rand = mulberry32(seed);
  const events: StoredEvent[] = [];
  for (let k = 0; k < slates; k++) {
    const u = k % w.users.length;
    const openid = w.users[u];
    const slateId = `s-${seed}-${k}`;
    const items = Array.from({ length: 6 }, () => w.items[Math.floor(rand() * w.items.length)]);
    await s.slates.append({
      slateId,
      openid,
      servedAt: at,
      modelVersion: null,
      variant: null,
      personalised: true,
      scene: 1001,
      cards: items.map((it, position) => ({ position, itemId: it.id, score: null, propensity: 1 })),
    });
    items.forEach((it, position) => {
      const base = {
        openid,
        serverTime: at + k,
        clientTime: at + k,
        clockSkewed: false,
        sessionId: 's',
        page: 'pages/feed/index',
        itemId: it.id,
        slateId,
        position,
        props: {},
      };
      events.push({ ...base, eventId: `${slateId}-i${position}`, type: 'impression' });
      const loves = w.cats.indexOf(it.category) === u % w.cats.length;
      if (rand() < (loves !== invert ? 0.6 : 0.05))
        events.push({ ...base, eventId: `${slateId}-c${position}`, type: 'click' });
    });
  }
  await s.events.append(events);
}
