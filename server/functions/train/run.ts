/**
 * One training run, resumable and bounded: under a lease, read new events since the checkpoint
 * in pages until the time budget is spent, join them with their slates into labelled
 * impressions, update the click model online (progressive validation on the way), refresh
 * profiles and the item model's neighbour lists (item-model.ts), then save model version, pending state and checkpoint, and apply
 * the promotion gate. A lost compare-and-set (another run got there first) saves nothing more.
 */
import { randomUUID } from 'node:crypto';
import type { TrainResponse } from '../../../typings';
import { CtrFeatureTransformer } from '../../engine/features/transformer';
import { FeatureVector } from '../../engine/features/vector';
import { LabelJoin } from '../../engine/labels/join';
import type { LabelledImpression } from '../../engine/labels/join';
import { ProgressiveValidation } from '../../engine/metrics/progressive';
import { createCtrModel, DEFAULT_CTR_CONFIG } from '../../engine/models/defaults';
import type { Learner } from '../../engine/models/learner';
import { EngagementAggregator } from '../../engine/profiles/aggregate';
import type { ItemMeta } from '../../engine/profiles/profile';
import { cardInput, userFeatures } from '../../engine/training/features';
import { promotionGate } from '../../engine/training/gate';
import { kindOf } from '../../engine/training/model';
import type {
  Checkpoint,
  ModelVersion,
  NeighbourList,
  ServedSlate,
  StoredEvent,
  Stores,
  UserProfile,
} from '../../ports';
import type { Logger } from '../../runtime/function';
import {
  appendEngagements,
  DEFAULT_ITEM_MODEL,
  isEngagement,
  itemsWithin,
  learnNeighbourLists,
  type EngagementRow,
  type ItemModelOptions,
} from './item-model';
import { tryLoadVersion, type LoadedModel } from './models';
import { StampedDocs } from './stamps';
import { loadTrainState, saveTrainState, stateKey, TRAIN_JOB } from './state';

export interface TrainOptions {
  /** Wall-clock budget of the run, ms (80 % of the function's timeout). */
  budgetMs: number;
  /** Events per read. */
  pageSize: number;
  /** Events younger than this are left for the next run (concurrent writers may still be behind them). */
  settleMs: number;
  /** The promotion gate's minimum labelled examples in a run's window. */
  minExamples: number;
  /** Versions whose blobs are kept (besides serving and head); older ones are retired. */
  keepVersions: number;
  /** Real elapsed-time clock, ms, for the budget (the functions' `now` may be simulated). */
  clock: () => number;
  /** How neighbour lists are refreshed (EASE over recent engagement, or incremental cosine). */
  itemModel: ItemModelOptions;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  budgetMs: 48_000,
  pageSize: 500,
  settleMs: 5_000,
  minExamples: 50,
  keepVersions: 20,
  clock: () => performance.now(),
  itemModel: DEFAULT_ITEM_MODEL,
};

export interface TrainContext {
  stores: Stores;
  now: () => number;
  log: Logger;
}

type Meta = ItemMeta & { publishedAt: number };

const versionName = (n: number): string => `v${String(n).padStart(6, '0')}`;
/** The number in a version name ("v000012" → 12); 0 for a name not made by versionName. */
const versionNumber = (v: string): number => (/^v\d{6,}$/.test(v) ? Number(v.slice(1)) : 0);
const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

function emptyResponse(
  status: TrainResponse['status'],
  serving: string | null,
  reason: string,
  elapsedMs: number,
): TrainResponse {
  return {
    status,
    events: 0,
    examples: 0,
    positives: 0,
    version: null,
    promoted: false,
    reason,
    serving,
    auc: null,
    logLoss: null,
    servingAuc: null,
    pending: 0,
    profiles: 0,
    neighbours: 0,
    skipped: {},
    more: false,
    elapsedMs,
  };
}

export async function runTraining(
  ctx: TrainContext,
  options: Partial<TrainOptions> = {},
): Promise<TrainResponse> {
  const opts = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  const started = ctx.now();
  const holder = randomUUID();
  // The lease outlives the budget by a margin: a run killed at its timeout frees it soon after.
  const lease = await ctx.stores.leases.acquire(
    TRAIN_JOB,
    holder,
    started,
    opts.budgetMs * 1.25 + 30_000,
  );
  if (!lease) {
    const serving = await ctx.stores.models.serving();
    return emptyResponse(
      'busy',
      serving?.version ?? null,
      'another training run holds the lease',
      0,
    );
  }
  try {
    return await new Run(ctx, opts, opts.clock()).execute();
  } finally {
    await ctx.stores.leases.release(TRAIN_JOB, holder);
  }
}

class Run {
  private readonly s: Stores;
  private readonly items = new Map<string, Meta | null>();
  private readonly agg = new EngagementAggregator();
  private readonly transformer = new CtrFeatureTransformer(DEFAULT_CTR_CONFIG.bits);
  private readonly vec = new FeatureVector();
  private readonly pv = new ProgressiveValidation();
  private readonly pvServing = new ProgressiveValidation();
  private readonly skipped: Record<string, number> = {};
  /** Profiles and neighbour lists as of the checkpoint (set once it is read): replays after a crash count nothing twice. */
  private profileDocs!: StampedDocs<UserProfile>;
  private neighbourDocs!: StampedDocs<NeighbourList>;

  constructor(
    private readonly ctx: TrainContext,
    private readonly opts: TrainOptions,
    private readonly started: number,
  ) {
    this.s = ctx.stores;
  }

  async execute(): Promise<TrainResponse> {
    const { ctx, s, opts } = this;
    const cp = await s.checkpoints.get(TRAIN_JOB);
    const rev = cp?.rev ?? 0;
    this.profileDocs = new StampedDocs((p) => p.openid, rev);
    this.neighbourDocs = new StampedDocs((l) => l.itemId, rev);
    const saved = await loadTrainState(s.blobs, cp?.stateKey ?? null, ctx.log);
    const join = new LabelJoin(saved.join);
    let engagements: EngagementRow[] = saved.engagements;
    /** Items of the window as saved: an item gone from it by the end of the run leaves the model. */
    const windowBefore = new Set(engagements.map((r) => r[1]));
    let engaged = 0;
    const pointer = await s.models.serving();
    const serving = pointer ? await tryLoadVersion(s, pointer.version, ctx.log) : null;
    const head = await this.headModel(cp, pointer?.version ?? null);

    // Read and learn until the log is drained or the budget (less a reserve for saving) is spent.
    const readUntil = this.started + opts.budgetMs * 0.75;
    let cursor = cp?.cursor ?? null;
    let events = 0;
    let examples = 0;
    let more = false;
    for (;;) {
      const before = ctx.now() - opts.settleMs;
      const page = await s.events.readAfter(cursor, before, opts.pageSize);
      const drained = page.events.length < opts.pageSize;
      if (page.events.length > 0) {
        await this.prepare(page.events);
        const slates = new Map(
          (await s.slates.get(LabelJoin.slateIds(page.events))).map((x): [string, ServedSlate] => [
            x.slateId,
            x,
          ]),
        );
        join.ingest(page.events, slates, (openid, at, personalised) =>
          userFeatures(openid, this.agg.profile(openid), at, personalised),
        );
        this.agg.apply(page.events, this.items);
        engagements = appendEngagements(engagements, page.events, ctx.now(), opts.itemModel);
        // Counted from the events: a full window keeps its length as new rows push old ones out.
        engaged += page.events.filter(isEngagement).length;
        cursor = page.cursor;
        events += page.events.length;
      }
      // Every event older than the watermark has been read: positions whose window closed by then are final.
      const watermark = drained
        ? before
        : Math.min(before, page.events[page.events.length - 1].serverTime - opts.settleMs);
      examples += await this.learn(join.flush(watermark), head.model, serving?.model ?? null);
      if (drained) break;
      if (opts.clock() >= readUntil) {
        more = true;
        break;
      }
    }

    for (const [k, v] of Object.entries(join.stats))
      if (!['impressions', 'clicks', 'positives', 'negatives'].includes(k) && v)
        this.skipped[k] = v;
    for (const [k, v] of Object.entries(this.agg.stats))
      if (k === 'invalid' && v) this.skipped.profileInvalid = v;
    for (const [k, v] of Object.entries(head.model.skipped))
      if (v) this.skipped[`refused_${k}`] = v;

    if (events === 0 && examples === 0) {
      return emptyResponse('idle', pointer?.version ?? null, 'no new events', this.elapsed());
    }
    const profiles = this.agg.changedProfiles();
    const refresh = await this.neighbourLists(engagements, engaged, windowBefore);
    const neighbours = refresh?.lists ?? [];
    await s.profiles.put(this.profileDocs.stamp(profiles));
    // EASE's lists are the whole model: they replace the stored set (lists of items gone from the window or unpublished go).
    if (refresh?.whole) await s.neighbours.replace(this.neighbourDocs.stamp(neighbours));
    else await s.neighbours.put(this.neighbourDocs.stamp(neighbours));

    // A new version whenever the model learned something; the gate decides whether it serves.
    let issued: ModelVersion | null = null;
    let versions = cp?.versions ?? 0;
    const verdict = promotionGate({
      candidateAuc: this.pv.auc,
      servingAuc: serving ? this.pvServing.auc : null,
      servingVersion: serving ? pointer!.version : null,
      examples: this.pv.count,
      minExamples: opts.minExamples,
    });
    if (this.pv.count > 0) {
      // A run that died after recording its version but before saving its checkpoint left that
      // number taken (never serving: promotion follows the checkpoint). Retire it and number past it.
      const [newest] = await s.models.list(1);
      const taken = newest ? versionNumber(newest.version) : 0;
      if (taken > versions) {
        await s.models.setStatus(
          newest.version,
          'retired',
          'orphaned: its training run stopped before saving the checkpoint',
        );
        versions = taken;
      }
      versions += 1;
      const version = versionName(versions);
      const blobKey = `models/ctr/${version}.bin`;
      await s.blobs.put(blobKey, head.model.serialize());
      issued = {
        version,
        kind: kindOf(head.model),
        createdAt: ctx.now(),
        parent: head.version,
        examplesSeen: head.seen + this.pv.count,
        metrics: {
          examples: this.pv.count,
          positives: this.pv.positives,
          auc: finite(this.pv.auc),
          logLoss: finite(this.pv.logLoss),
          calibration: finite(this.pv.calibrationRatio),
          servingAuc: serving ? finite(this.pvServing.auc) : null,
        },
        status: 'candidate',
        reason: verdict.reason,
        blobKey,
      };
      if (!(await s.models.add(issued)))
        return this.lost(pointer?.version ?? null, `version ${version} exists already`);
    }

    const nextKey = stateKey(rev + 1);
    await saveTrainState(s.blobs, nextKey, { join: join.snapshot(), engagements });
    const next: Checkpoint = {
      name: TRAIN_JOB,
      rev: rev + 1,
      cursor,
      head: issued?.version ?? head.version,
      stateKey: nextKey,
      versions,
      updatedAt: ctx.now(),
    };
    if (!(await s.checkpoints.save(next, rev))) {
      if (issued)
        await s.models.setStatus(
          issued.version,
          'retired',
          'lost the checkpoint race to another run',
        );
      await s.blobs.delete(nextKey);
      return this.lost(pointer?.version ?? null, 'checkpoint moved during the run');
    }
    if (cp?.stateKey && cp.stateKey !== nextKey) await s.blobs.delete(cp.stateKey);

    let promoted = false;
    if (issued && verdict.promote) {
      promoted = await s.models.swapServing(pointer?.version ?? null, {
        version: issued.version,
        since: ctx.now(),
        reason: verdict.reason,
      });
      if (promoted) await s.models.setStatus(issued.version, 'promoted', verdict.reason);
      else
        await s.models.setStatus(
          issued.version,
          'candidate',
          'serving pointer moved during the run (rollback?)',
        );
    }
    const servingNow = promoted ? issued!.version : (pointer?.version ?? null);
    await this.retireOld(servingNow, next.head);

    return {
      status: 'trained',
      events,
      examples,
      positives: this.pv.positives,
      version: issued?.version ?? null,
      promoted,
      reason: issued ? verdict.reason : 'no impression resolved yet: no new version',
      serving: servingNow,
      auc: finite(this.pv.auc),
      logLoss: finite(this.pv.logLoss),
      servingAuc: serving ? finite(this.pvServing.auc) : null,
      pending: join.pendingCount,
      profiles: profiles.length,
      neighbours: neighbours.length,
      skipped: this.skipped,
      more,
      elapsedMs: this.elapsed(),
    };
  }

  /** The model training continues from: the checkpoint's head, else the serving version, else a fresh one. */
  private async headModel(
    cp: Checkpoint | null,
    servingVersion: string | null,
  ): Promise<{ model: Learner; version: string | null; seen: number }> {
    for (const v of [cp?.head ?? null, servingVersion]) {
      if (v === null) continue;
      const got: LoadedModel | null = await tryLoadVersion(this.s, v, this.ctx.log);
      if (got) return { model: got.model, version: v, seen: got.meta.examplesSeen };
      this.skipped.unloadableModels = (this.skipped.unloadableModels ?? 0) + 1;
    }
    return { model: createCtrModel(DEFAULT_CTR_CONFIG), version: null, seen: 0 };
  }

  /** Loads what a page needs that is not held yet: profiles, neighbour lists, item facts. */
  private async prepare(events: readonly StoredEvent[]): Promise<void> {
    const users = this.agg.missingUsers(events);
    if (users.length)
      this.agg.loadProfiles(this.profileDocs.committed(users, await this.s.profiles.get(users)));
    // The cosine builder updates stored lists incrementally; EASE relearns them whole.
    if (this.opts.itemModel.kind === 'cosine') {
      const items = this.agg.missingItems(events);
      if (items.length)
        this.agg.loadNeighbours(
          this.neighbourDocs.committed(items, await this.s.neighbours.get(items)),
        );
    }
    await this.loadItems(events.map((e) => e.itemId));
  }

  private async loadItems(ids: Array<string | undefined>): Promise<void> {
    const missing = [
      ...new Set(ids.filter((id): id is string => typeof id === 'string' && !this.items.has(id))),
    ];
    if (!missing.length) return;
    for (const it of await this.s.catalog.get(missing))
      this.items.set(it.id, { category: it.category, tags: it.tags, publishedAt: it.publishedAt });
    for (const id of missing) if (!this.items.has(id)) this.items.set(id, null);
  }

  /** Learns each labelled impression (progressive validation first), and scores it with the serving model too. */
  private async learn(
    batch: LabelledImpression[],
    model: Learner,
    serving: Learner | null,
  ): Promise<number> {
    await this.loadItems(batch.map((b) => b.itemId));
    let learned = 0;
    for (const ex of batch) {
      const user = ex.user ?? userFeatures(ex.openid, null, ex.impressionAt, ex.personalised);
      const meta = ex.itemId !== undefined ? this.items.get(ex.itemId) : null;
      const input = cardInput(
        user,
        { itemId: ex.itemId, adId: ex.adId, meta },
        { at: ex.impressionAt, position: ex.position, scene: ex.scene },
      );
      const x = this.transformer.transform(input, this.vec);
      const p = model.learn(x, ex.clicked);
      if (p === null) continue;
      learned++;
      this.pv.add(ex.clicked, p);
      if (serving) this.pvServing.add(ex.clicked, serving.predict(x));
    }
    return learned;
  }

  /**
   * The lists to write: the cosine builder's changed ones (put over the stored ones), or EASE
   * relearned over the window (the whole set: `whole`) when new engagement arrived or an item
   * left the window, leaving out unpublished items, within what is left of the budget (less a
   * reserve for saving). Null: nothing to write (no time left keeps the stored model).
   */
  private async neighbourLists(
    window: readonly EngagementRow[],
    engaged: number,
    windowBefore: ReadonlySet<string>,
  ): Promise<{ lists: NeighbourList[]; whole: boolean } | null> {
    const o = this.opts.itemModel;
    if (o.kind === 'cosine') return { lists: this.agg.changedNeighbours(), whole: false };
    const inWindow = new Set(window.map((r) => r[1]));
    if (engaged === 0 && [...windowBefore].every((id) => inWindow.has(id))) return null;
    const unpublished = new Set(
      (await this.s.catalog.get([...inWindow]))
        .filter((it) => it.status !== 'published')
        .map((it) => it.id),
    );
    const left = this.started + this.opts.budgetMs * 0.9 - this.opts.clock();
    if (itemsWithin(left, o) < 2 && inWindow.size > unpublished.size) {
      this.skipped.itemModelNoTime = (this.skipped.itemModelNoTime ?? 0) + 1;
      return null;
    }
    return {
      lists: learnNeighbourLists(window, this.ctx.now(), left, o, unpublished),
      whole: true,
    };
  }

  private elapsed(): number {
    return Math.round(this.opts.clock() - this.started);
  }

  private lost(serving: string | null, why: string): TrainResponse {
    this.ctx.log.error('train run lost a race; nothing promoted', { why });
    return emptyResponse('conflict', serving, why, this.elapsed());
  }

  /** Retires versions beyond the newest `keepVersions` (never the serving one or the head) and frees their blobs. */
  private async retireOld(serving: string | null, head: string | null): Promise<void> {
    const all = await this.s.models.list(this.opts.keepVersions + 20);
    for (const v of all.slice(this.opts.keepVersions)) {
      if (v.status === 'retired' || v.version === serving || v.version === head) continue;
      await this.s.blobs.delete(v.blobKey);
      await this.s.models.setStatus(
        v.version,
        'retired',
        `blob freed: older than the newest ${this.opts.keepVersions} versions`,
      );
    }
  }
}
