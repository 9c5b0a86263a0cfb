/**
 * Evidence of ties, earned from what users do (WeChat hands over no friend list), kept compact so
 * `train` can fold in only the events since its checkpoint, and the rule that turns it into
 * weighted edges. The noise rules, each tested in test/server/engine/social-evidence.test.ts:
 *  1. Self-loops are dropped: opening one's own share, following oneself.
 *  2. Bots: a user with more than `botOpensPerHour` share opens in one clock hour opens faster
 *     than a person reads; none of that user's share opens makes an edge.
 *  3. Mass forwards: a share opened by more than `massOpeners` distinct users was forwarded to
 *     strangers; a one-off open of it (one open, nothing else between the pair) makes no edge,
 *     repeated opens count `massWeight` of a normal open.
 *  4. Co-engagement (two users commenting on one item) is a weak tie (`coWeight` per item), and
 *     only items with at most `coMaxCommenters` commenters count (a hit says nothing about ties).
 * A share of an item with a topic (旅游出行: a travel item, `topicOf`) also makes each of its
 * opens a topic edge between sharer and opener (a travel-interest tie), by the same rules.
 * Every piece of evidence decays with its age (half-life `halfLifeDays`), evidence older than
 * `keepDays` is forgotten, and a pair's weight is the sum of its decayed evidence.
 */
import type { StoredEvent } from '../records';
import { DAY_MS, HOUR_MS, decayFactor } from '../profiles/decay';
import type { WeightedEdge } from './graph';

export interface EvidenceParams {
  halfLifeDays: number;
  keepDays: number;
  shareOpenWeight: number;
  followWeight: number;
  coWeight: number;
  coMaxCommenters: number;
  massOpeners: number;
  massWeight: number;
  botOpensPerHour: number;
}

export const DEFAULT_EVIDENCE_PARAMS: EvidenceParams = {
  halfLifeDays: 30,
  keepDays: 180,
  shareOpenWeight: 1,
  followWeight: 1,
  coWeight: 0.2,
  coMaxCommenters: 50,
  massOpeners: 30,
  massWeight: 0.2,
  botOpensPerHour: 120,
};

/** What the evidence remembers (plain JSON: the trainer's state stores it). */
export interface Evidence {
  /** shareId → the sharer and when it was shared. */
  shares: Record<string, { by: string; at: number; group?: string; topic?: string }>;
  /** shareId → opener → [open count, last open time]. Opens may arrive before their share. */
  opens: Record<string, Record<string, [number, number]>>;
  /** itemId → commenter → last comment time. */
  comments: Record<string, Record<string, number>>;
  /** openid → hour bucket → share opens in it (for the bot rule), recent hours only. */
  openRate: Record<string, Record<string, number>>;
  /** openids the bot rule caught (kept until their evidence ages out). */
  bots: Record<string, number>;
}

export function emptyEvidence(): Evidence {
  return { shares: {}, opens: {}, comments: {}, openRate: {}, bots: {} };
}

/** A follow as the content model stores it: directed, follower → followee (a user or author). */
export interface Follow {
  follower: string;
  followee: string;
  at: number;
}

/**
 * A user's membership of a WeChat group, earned by opening a share in it (the group's openGId,
 * resolved from the share info's cloudID, kept only as a keyed digest: `group`). `shareId` is
 * the opened share, when known: its sharer posted it into that group, so is a member too.
 */
export interface GroupMembership {
  openid: string;
  group: string;
  at: number;
  shareId: string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/** Folds new stored events into the evidence (mutates and returns it). */
export function absorb(
  ev: Evidence,
  events: Iterable<StoredEvent>,
  params: EvidenceParams = DEFAULT_EVIDENCE_PARAMS,
  /** The topic of a shared item (e.g. 'travel'), or null; read when the share is folded in. */
  topicOf: (itemId: string) => string | null = () => null,
): Evidence {
  for (const e of events) {
    if (e.type === 'share') {
      const id = str(e.props.shareId);
      if (!id || ev.shares[id]) continue;
      const group = str(e.props.groupId);
      const topic = e.itemId ? topicOf(e.itemId) : null;
      ev.shares[id] = {
        by: e.openid,
        at: e.serverTime,
        ...(group ? { group } : {}),
        ...(topic ? { topic } : {}),
      };
    } else if (e.type === 'share_open') {
      const id = str(e.props.shareId);
      if (!id) continue;
      const byOpener = (ev.opens[id] ??= {});
      const prev = byOpener[e.openid];
      byOpener[e.openid] = [(prev?.[0] ?? 0) + 1, Math.max(prev?.[1] ?? 0, e.serverTime)];
      const hour = String(Math.floor(e.serverTime / HOUR_MS));
      const rate = (ev.openRate[e.openid] ??= {});
      rate[hour] = (rate[hour] ?? 0) + 1;
      if (rate[hour] > params.botOpensPerHour) ev.bots[e.openid] = e.serverTime;
    } else if (e.type === 'comment' && e.itemId) {
      const byUser = (ev.comments[e.itemId] ??= {});
      byUser[e.openid] = Math.max(byUser[e.openid] ?? 0, e.serverTime);
    }
  }
  return ev;
}

/** Forgets evidence older than `keepDays` and open-rate hours older than a day (mutates). */
export function prune(
  ev: Evidence,
  now: number,
  params: EvidenceParams = DEFAULT_EVIDENCE_PARAMS,
): Evidence {
  const horizon = now - params.keepDays * DAY_MS;
  for (const [id, s] of Object.entries(ev.shares))
    if (s.at < horizon && !ev.opens[id]) delete ev.shares[id];
  for (const [id, byOpener] of Object.entries(ev.opens)) {
    for (const [u, [, last]] of Object.entries(byOpener)) if (last < horizon) delete byOpener[u];
    if (!Object.keys(byOpener).length) {
      delete ev.opens[id];
      if ((ev.shares[id]?.at ?? 0) < horizon) delete ev.shares[id];
    }
  }
  for (const [item, byUser] of Object.entries(ev.comments)) {
    for (const [u, t] of Object.entries(byUser)) if (t < horizon) delete byUser[u];
    if (!Object.keys(byUser).length) delete ev.comments[item];
  }
  const hourHorizon = Math.floor((now - DAY_MS) / HOUR_MS);
  for (const [u, hours] of Object.entries(ev.openRate)) {
    for (const h of Object.keys(hours)) if (Number(h) < hourHorizon) delete hours[h];
    if (!Object.keys(hours).length) delete ev.openRate[u];
  }
  for (const [u, t] of Object.entries(ev.bots)) if (t < horizon) delete ev.bots[u];
  return ev;
}

/** Removes every trace of one user (erasure): their shares, opens, comments, rates, bot flag. */
export function forgetUser(ev: Evidence, openid: string): Evidence {
  for (const [id, s] of Object.entries(ev.shares)) {
    if (s.by === openid) {
      delete ev.shares[id];
      delete ev.opens[id];
    }
  }
  for (const byOpener of Object.values(ev.opens)) delete byOpener[openid];
  for (const byUser of Object.values(ev.comments)) delete byUser[openid];
  delete ev.openRate[openid];
  delete ev.bots[openid];
  return ev;
}

/** A tie about a topic: the two users shared and opened items of it (e.g. travel notes). */
export interface TopicEdge extends WeightedEdge {
  topic: string;
}

export interface DerivedEdges {
  /** Undirected user–user ties ("a" < "b"), weights decayed to `now`. */
  edges: WeightedEdge[];
  /** User → group membership (from opens of shares to a group), weights decayed to `now`. */
  memberships: WeightedEdge[];
  /** Undirected topic ties ("a" < "b"): opens of shares of a topic's items, per topic, decayed to `now`. */
  topics: TopicEdge[];
  dropped: { selfLoops: number; bots: number; massOneOff: number };
}

/**
 * User → group edges from stored memberships at time `now`: each member, and the sharer of the
 * share they opened there (when the evidence knows it), weighted by the open's decay; bots (rule
 * 2) and memberships older than `keepDays` are left out. A pair listed twice keeps the sum.
 */
export function groupEdges(
  ev: Evidence,
  memberships: readonly GroupMembership[],
  now: number,
  params: EvidenceParams = DEFAULT_EVIDENCE_PARAMS,
): WeightedEdge[] {
  const halfLife = params.halfLifeDays * DAY_MS;
  const horizon = now - params.keepDays * DAY_MS;
  const out = new Map<string, number>();
  const add = (user: string, group: string, w: number): void => {
    if (ev.bots[user] !== undefined) return;
    const key = `${user}\u0000${group}`;
    out.set(key, (out.get(key) ?? 0) + w);
  };
  for (const m of memberships) {
    if (m.at < horizon) continue;
    const w = decayFactor(m.at, now, halfLife);
    add(m.openid, m.group, w);
    const sharer = m.shareId ? ev.shares[m.shareId]?.by : undefined;
    if (sharer && sharer !== m.openid) add(sharer, m.group, w);
  }
  return [...out].map(([key, weight]) => {
    const [a, b] = key.split('\u0000');
    return { a, b, weight };
  });
}

/** Turns the evidence and the follows into weighted edges at time `now` (the noise rules above). */
export function deriveEdges(
  ev: Evidence,
  follows: readonly Follow[],
  now: number,
  params: EvidenceParams = DEFAULT_EVIDENCE_PARAMS,
): DerivedEdges {
  const halfLife = params.halfLifeDays * DAY_MS;
  const pairs = new Map<string, number>();
  const groups = new Map<string, number>();
  const topics = new Map<string, number>();
  const dropped = { selfLoops: 0, bots: 0, massOneOff: 0 };
  const add = (a: string, b: string, w: number): void => {
    const key = a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
    pairs.set(key, (pairs.get(key) ?? 0) + w);
  };
  // Pairs with evidence other than share opens: a one-off open of a mass forward between them
  // still counts (rule 3 drops only what stands alone).
  const otherTies = new Set<string>();
  const tieKey = (a: string, b: string): string => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);
  for (const f of follows)
    if (f.follower !== f.followee) otherTies.add(tieKey(f.follower, f.followee));

  for (const [id, byOpener] of Object.entries(ev.opens)) {
    const share = ev.shares[id];
    if (!share) continue;
    const mass = Object.keys(byOpener).length > params.massOpeners;
    for (const [opener, [count, last]] of Object.entries(byOpener)) {
      if (opener === share.by) {
        dropped.selfLoops++;
        continue;
      }
      if (ev.bots[opener] !== undefined || ev.bots[share.by] !== undefined) {
        dropped.bots++;
        continue;
      }
      const decay = decayFactor(last, now, halfLife);
      if (mass && count <= 1 && !otherTies.has(tieKey(opener, share.by))) {
        dropped.massOneOff++;
        continue;
      }
      const w = params.shareOpenWeight * decay * (mass ? params.massWeight : 1);
      add(opener, share.by, w);
      if (share.topic) {
        const key = `${share.topic}\u0000${tieKey(opener, share.by)}`;
        topics.set(key, (topics.get(key) ?? 0) + w);
      }
      if (share.group)
        groups.set(
          `${opener}\u0000${share.group}`,
          (groups.get(`${opener}\u0000${share.group}`) ?? 0) + decay,
        );
    }
    if (share.group && ev.bots[share.by] === undefined) {
      const key = `${share.by}\u0000${share.group}`;
      groups.set(key, (groups.get(key) ?? 0) + decayFactor(share.at, now, halfLife));
    }
  }
  for (const f of follows) {
    if (f.follower === f.followee) {
      dropped.selfLoops++;
      continue;
    }
    add(f.follower, f.followee, params.followWeight * decayFactor(f.at, now, halfLife));
  }
  for (const byUser of Object.values(ev.comments)) {
    const users = Object.keys(byUser)
      .filter((u) => ev.bots[u] === undefined)
      .sort();
    if (users.length < 2 || users.length > params.coMaxCommenters) continue;
    for (let i = 0; i < users.length; i++) {
      for (let j = i + 1; j < users.length; j++) {
        const t = Math.min(byUser[users[i]], byUser[users[j]]);
        add(users[i], users[j], params.coWeight * decayFactor(t, now, halfLife));
      }
    }
  }
  const split = (m: Map<string, number>): WeightedEdge[] =>
    [...m].map(([key, weight]) => {
      const [a, b] = key.split('\u0000');
      return { a, b, weight };
    });
  const topicEdges = [...topics].map(([key, weight]) => {
    const [topic, a, b] = key.split('\u0000');
    return { a, b, topic, weight };
  });
  return { edges: split(pairs), memberships: split(groups), topics: topicEdges, dropped };
}
