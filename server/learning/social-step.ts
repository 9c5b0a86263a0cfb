/**
 * The social step of a `train` round: folds the events since its own checkpoint into the tie
 * evidence (server/engine/social/evidence.ts), derives the decayed, de-noised graph with the
 * follows and the WeChat group memberships (groupEdges), and writes each user's social record (features, strongest ties, people and groups to
 * suggest) — incrementally (only new events are read; the evidence is the state between rounds)
 * and inside its budget (reading stops at half of it; records left unwritten are counted and
 * written by the next round). It is also the one owner of the evidence blob's format.
 */
import {
  absorb,
  deriveEdges,
  emptyEvidence,
  forgetUser,
  groupEdges,
  prune,
  type GroupMembership,
  type Evidence,
  type Follow,
} from '../engine/social/evidence';
import { socialRound } from '../engine/social/round';
import { selectLinkPredictor } from '../engine/social/selection';
import type { PairModel, Scorer } from '../engine/social/link-prediction';
import type { SocialLink, StoredEvent, Stores } from '../ports';
import type { Logger } from '../runtime/function';
import {
  readLog,
  runCheckpointedStep,
  underLease,
  type CheckpointedStep,
  type StepOptions,
  type StepRun,
} from './checkpointed-step';

export const SOCIAL_JOB = 'social';
const stateKey = (rev: number): string => `social/state/r${rev}.json`;

export interface SocialStepOptions extends StepOptions {
  pageSize: number;
  /** Below this many ties the learned predictor has too few validation edges: Adamic-Adar. */
  minEdgesToLearn: number;
}

export const DEFAULT_SOCIAL_OPTIONS: SocialStepOptions = {
  budgetMs: 8_000,
  clock: () => performance.now(),
  pageSize: 1000,
  minEdgesToLearn: 2_000,
};

export interface SocialStepResult {
  status: 'ok' | 'busy' | 'conflict';
  events: number;
  users: number;
  /** Users whose record did not fit in the budget (written next round). */
  unwritten: number;
  edges: number;
  communities: number;
  modularity: number;
  scorer: Scorer;
  dropped: { selfLoops: number; bots: number; massOneOff: number };
  more: boolean;
}

/** Reads the saved evidence (an empty one when missing or unreadable: ties are re-earned). */
export async function loadEvidence(
  stores: Pick<Stores, 'blobs'>,
  key: string | null,
  log?: Logger,
): Promise<Evidence> {
  if (!key) return emptyEvidence();
  try {
    const raw = await stores.blobs.get(key);
    if (!raw) return emptyEvidence();
    const parsed = JSON.parse(new TextDecoder().decode(raw)) as Evidence;
    return { ...emptyEvidence(), ...parsed };
  } catch (err) {
    log?.error('social evidence unreadable, starting empty', { key, error: String(err) });
    return emptyEvidence();
  }
}

const encode = (ev: Evidence): Uint8Array => new TextEncoder().encode(JSON.stringify(ev));

async function allFollows(stores: Pick<Stores, 'social'>): Promise<Follow[]> {
  const out: Follow[] = [];
  let after: Follow | null = null;
  for (;;) {
    const page = await stores.social.allFollows(after, 1000);
    out.push(...page);
    if (page.length < 1000) return out;
    after = page[page.length - 1];
  }
}

async function allMemberships(stores: Pick<Stores, 'social'>): Promise<GroupMembership[]> {
  const out: GroupMembership[] = [];
  let after: GroupMembership | null = null;
  for (;;) {
    const page = await stores.social.allMemberships(after, 1000);
    out.push(...page);
    if (page.length < 1000) return out;
    after = page[page.length - 1];
  }
}

const empty = (): SocialStepResult => ({
  status: 'busy',
  events: 0,
  users: 0,
  unwritten: 0,
  edges: 0,
  communities: 0,
  modularity: 0,
  scorer: 'adamic-adar',
  dropped: { selfLoops: 0, bots: 0, massOneOff: 0 },
  more: false,
});

interface SocialEnv {
  stores: Stores;
  now: () => number;
  log: Logger;
}

/** The social step as the runner runs it (checkpointed-step.ts). */
export const SOCIAL_STEP: CheckpointedStep<SocialEnv, SocialStepOptions, SocialStepResult> = {
  job: SOCIAL_JOB,
  leaseMs: (budgetMs) => budgetMs * 1.25 + 30_000,
  defaults: DEFAULT_SOCIAL_OPTIONS,
  busy: empty,
  work: socialWork,
};

export function runSocialStep(
  stores: Stores,
  now: () => number,
  log: Logger,
  options: Partial<SocialStepOptions> = {},
): Promise<SocialStepResult> {
  return runCheckpointedStep(SOCIAL_STEP, { stores, now, log }, options);
}

async function socialWork(
  { stores, now, log }: SocialEnv,
  opts: SocialStepOptions,
  run: StepRun,
): Promise<SocialStepResult> {
  const { checkpoint, budget } = run;
  const evidence = await loadEvidence(stores, checkpoint.stateKey, log);
  const { cursor, events, more } = await readLog(
    stores.events,
    run,
    { before: now, pageSize: opts.pageSize, share: 1 / 2 },
    async (page) => {
      absorb(evidence, page, undefined, await topicsOfShared(stores, page));
    },
  );
  const at = now();
  prune(evidence, at);
  const follows = (await allFollows(stores)).filter((f) => !f.followee.includes(':'));
  const derived = deriveEdges(evidence, follows, at);
  // WeChat groups the users opened shares in (and the sharers who posted them there).
  const memberships = [
    ...derived.memberships,
    ...groupEdges(evidence, await allMemberships(stores), at),
  ];
  const users = [...new Set(derived.edges.flatMap((e) => [e.a, e.b]))];
  const interests = new Map<string, Record<string, number>>();
  for (let i = 0; i < users.length; i += 500)
    for (const p of await stores.profiles.get(users.slice(i, i + 500)))
      interests.set(p.openid, p.interests);
  let predictor: { scorer: Scorer; model: PairModel | null } = {
    scorer: 'adamic-adar',
    model: null,
  };
  if (derived.edges.length >= opts.minEdgesToLearn) {
    const chosen = selectLinkPredictor(users, derived.edges);
    predictor = { scorer: chosen.scorer, model: chosen.model };
  }
  const result = socialRound(derived.edges, memberships, interests, predictor);
  // Save the evidence and the cursor first: records are derived and rewritten every round.
  const saved = await checkpoint.advance({
    cursor,
    updatedAt: at,
    state: { key: stateKey(checkpoint.nextRev), bytes: encode(evidence) },
  });
  if (!saved) return { ...empty(), status: 'conflict' };
  const travel = strongestPerUser(derived.topics.filter((e) => e.topic === TRAVEL_TOPIC));
  let written = 0;
  for (const u of result.users) {
    if (budget.elapsed() > budget.budgetMs) break;
    const links: SocialLink[] = [
      ...u.ties.map((t) => ({ kind: 'tie' as const, ...t })),
      ...u.people.map((t) => ({ kind: 'person' as const, ...t })),
      ...u.groups.map((t) => ({ kind: 'group' as const, ...t })),
      ...(travel.get(u.openid) ?? []).map((t) => ({ kind: 'travel' as const, ...t })),
    ];
    await stores.social.putRecord({ openid: u.openid, features: u.features, updatedAt: at }, links);
    written++;
  }
  return {
    status: 'ok',
    events,
    users: result.users.length,
    unwritten: result.users.length - written,
    edges: derived.edges.length,
    communities: result.communities,
    modularity: result.modularity,
    scorer: predictor.scorer,
    dropped: derived.dropped,
    more: more || written < result.users.length,
  };
}

/** The topic of travel items (旅游出行): a share of one opened by a friend is a travel-interest tie. */
export const TRAVEL_TOPIC = 'travel';
/** Travel-interest ties kept per user, strongest first. */
const TRAVEL_LINKS = 20;

/**
 * The topic of each item shared in these events: travel for an item with a place or in the 旅行
 * category (routes, guides, hotels, travel notes), read from the catalog once per page.
 */
async function topicsOfShared(
  stores: Stores,
  events: readonly StoredEvent[],
): Promise<(itemId: string) => string | null> {
  const ids = [
    ...new Set(events.filter((e) => e.type === 'share' && e.itemId).map((e) => e.itemId!)),
  ];
  if (!ids.length) return () => null;
  const travel = new Set(
    (await stores.catalog.get(ids))
      .filter((it) => it.place || it.category === '旅行')
      .map((it) => it.id),
  );
  return (id) => (travel.has(id) ? TRAVEL_TOPIC : null);
}

/** Each user's topic ties, strongest first, at most TRAVEL_LINKS. */
function strongestPerUser(
  edges: readonly { a: string; b: string; weight: number }[],
): Map<string, { other: string; weight: number }[]> {
  const out = new Map<string, { other: string; weight: number }[]>();
  for (const e of edges) {
    for (const [me, other] of [
      [e.a, e.b],
      [e.b, e.a],
    ]) {
      const list = out.get(me) ?? [];
      list.push({ other, weight: e.weight });
      out.set(me, list);
    }
  }
  for (const [me, list] of out)
    out.set(
      me,
      list
        .sort((x, y) => y.weight - x.weight || (x.other < y.other ? -1 : 1))
        .slice(0, TRAVEL_LINKS),
    );
  return out;
}

/**
 * Erasure's part in the social step, under its lease: the user's evidence is removed from the
 * saved state (rewritten in place) and every stored social record naming them. False when a
 * social step holds the lease (retry later).
 */
export async function scrubSocial(
  stores: Stores,
  openid: string,
  holder: string,
  now: number,
): Promise<boolean> {
  return underLease(
    stores.leases,
    SOCIAL_JOB,
    now,
    60_000,
    () => false,
    async () => {
      const checkpoint = await stores.checkpoints.get(SOCIAL_JOB);
      if (checkpoint?.stateKey) {
        const ev = forgetUser(await loadEvidence(stores, checkpoint.stateKey), openid);
        await stores.blobs.put(checkpoint.stateKey, encode(ev));
      }
      await stores.social.forget(openid);
      return true;
    },
    holder,
  );
}
