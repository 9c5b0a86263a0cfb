/**
 * One training run, resumable and bounded: under a lease, read new events since the checkpoint
 * in pages until the time budget is spent, join them with their slates into labelled
 * impressions, update the click model online (progressive validation on the way), refresh
 * profiles and the item model's neighbour lists (item-model.ts), train a challenger beside the
 * champion on the run's window (engine/training/challenger.ts), then save model version, pending state and checkpoint, and apply
 * the promotion gate. A lost compare-and-set (another run got there first) saves nothing more.
 */
import type { TrainResponse } from '../../typings';
import { CtrFeatureTransformer, type GraphFeatures } from '../engine/features/transformer';
import { FeatureVector } from '../engine/features/vector';
import { DEFAULT_JOIN_OPTIONS, LabelJoin } from '../engine/labels/join';
import type { LabelledImpression } from '../engine/labels/join';
import { ProgressiveValidation } from '../engine/metrics/progressive';
import { createCtrModel, DEFAULT_CTR_CONFIG } from '../engine/models/defaults';
import type { Learner } from '../engine/models/learner';
import { EngagementAggregator } from '../engine/profiles/aggregate';
import type { ItemMeta } from '../engine/profiles/profile';
import { cardInput, userFeatures } from '../engine/training/features';
import { challenge, ChallengerWindow, DEFAULT_CHALLENGE } from '../engine/training/challenger';
import type { ChallengeResult } from '../engine/training/challenger';
import { promotionGate } from '../engine/training/gate';
import { kindOf } from '../engine/training/model';
import type {
  Checkpoint,
  ModelVersion,
  NeighbourList,
  PaidCursor,
  RefundCursor,
  ServedSlate,
  ServingPointer,
  StoredEvent,
  Stores,
  UserProfile,
} from '../ports';
import type { Logger } from '../runtime/function';
import {
  appendEngagements,
  DEFAULT_ITEM_MODEL,
  isEngagement,
  itemsWithin,
  learnNeighbourLists,
  type EngagementRow,
  type ItemModelOptions,
} from './item-model';
import { AdReportRollup } from './ad-report-rollup';
import { ExperimentRollup } from './experiment-rollup';
import { underLease } from './checkpointed-step';
import { modelBlobKey, tryLoadVersion, writeModelBlob, type LoadedModel } from './model-versions';
import { StampedDocs } from './stamps';
import { settleWindowMs } from '../events/writers';
import { loadTrainState, saveTrainState, stateKey, TRAIN_JOB } from './trainer-state';

export interface TrainOptions {
  /** Wall-clock budget of the run, ms (80 % of the function's timeout). */
  budgetMs: number;
  /** Events per read. */
  pageSize: number;
  /**
   * Events younger than this are left for the next run (concurrent writers may still be behind
   * them): by default the longest event writer's timeout plus a margin (server/events/writers.ts).
   */
  settleMs: number;
  /** The promotion gate's minimum labelled examples in a run's window. */
  minExamples: number;
  /** Versions whose blobs are kept (besides serving and head); older ones are retired. */
  keepVersions: number;
  /** Real elapsed-time clock, ms, for the budget (the functions' `now` may be simulated). */
  clock: () => number;
  /** How neighbour lists are refreshed (EASE over recent engagement, or incremental cosine). */
  itemModel: ItemModelOptions;
  /** Labelled examples of a run kept for the challenger (engine/training/challenger.ts); 0: none. */
  challengerWindow: number;
  /**
   * Learn each impression at once as a provisional negative and its click as soon as it arrives,
   * with the delayed-feedback correction's importance weights (engine/labels/join.ts), instead of
   * waiting for the click window (30 min) to close.
   */
  earlyLabels: boolean;
  /**
   * Share-graph features of the users in the click model (issue 16; the round passes the
   * SOCIAL_GRAPH_FEATURES configuration, which serving reads too).
   */
  graphFeatures: boolean;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  budgetMs: 48_000,
  pageSize: 500,
  settleMs: settleWindowMs(),
  minExamples: 50,
  keepVersions: 20,
  clock: () => performance.now(),
  itemModel: DEFAULT_ITEM_MODEL,
  challengerWindow: 20_000,
  earlyLabels: true,
  graphFeatures: false,
};

export interface TrainContext {
  stores: Stores;
  now: () => number;
  log: Logger;
}

type Meta = ItemMeta & { publishedAt: number };

/**
 * The importance weight of a provisional negative (engine/labels/join.ts): the probability that
 * it stays negative, (1 − p̂) ÷ (1 − p̂·a), with p̂ the model's click probability and a the share
 * of clicks known at their impression's first flush.
 */
export function provisionalWeight(p: number, promptShare: number): number {
  return (1 - p) / (1 - p * promptShare);
}

/** Paid orders read per page and pages per run (the rest waits for the next run). */
const PAID_PAGE = 500;
const PAID_PAGES = 20;

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
  // The lease outlives the budget by a margin: a run killed at its timeout frees it soon after.
  return underLease(
    ctx.stores.leases,
    TRAIN_JOB,
    ctx.now(),
    opts.budgetMs * 1.25 + 30_000,
    async () => {
      const serving = await ctx.stores.models.serving();
      return emptyResponse(
        'busy',
        serving?.version ?? null,
        'another training run holds the lease',
        0,
      );
    },
    () => new TrainingRun(ctx, opts, opts.clock()).execute(),
  );
}

/** What a run starts from: the checkpoint, the trainer's saved state and the models. */
interface RunStart {
  checkpoint: Checkpoint | null;
  rev: number;
  join: LabelJoin;
  engagements: EngagementRow[];
  /** Items of the window as saved: an item gone from it by the end of the run leaves the model. */
  windowBefore: Set<string>;
  pointer: ServingPointer | null;
  serving: LoadedModel | null;
  head: HeadModel;
}

/** What reading the log taught: how far it got and what it learned. */
interface ReadResult {
  cursor: string | null;
  events: number;
  examples: number;
  /** Engagements appended to the item model's window. */
  engaged: number;
  engagements: EngagementRow[];
  /** The budget ran out before the log was drained. */
  more: boolean;
}

interface HeadModel {
  model: Learner;
  version: string | null;
  seen: number;
}

/**
 * One run's phases, in order: start (checkpoint, state, models), read and learn, write the
 * derived documents (profiles, neighbour lists), issue a version, commit the checkpoint, promote.
 */
class TrainingRun {
  private readonly stores: Stores;
  private readonly items = new Map<string, Meta | null>();
  private readonly aggregator = new EngagementAggregator();
  private readonly transformer = new CtrFeatureTransformer(DEFAULT_CTR_CONFIG.bits);
  private readonly vec = new FeatureVector();
  /** Progressive validation of the model being trained, and of the serving one on the same examples. */
  private readonly validation = new ProgressiveValidation();
  private readonly servingValidation = new ProgressiveValidation();
  private readonly skipped: Record<string, number> = {};
  /** This run's labelled examples with the champion's predictions, for the challenger. */
  private readonly window: ChallengerWindow;
  /** Profiles and neighbour lists as of the checkpoint (set once it is read): replays after a crash count nothing twice. */
  private profileDocs!: StampedDocs<UserProfile>;
  private neighbourDocs!: StampedDocs<NeighbourList>;
  private rollup!: ExperimentRollup;
  /** The last pay-verified order the experiment rollup has counted (saved with the state). */
  private paidCursor: PaidCursor | null = null;
  /** The last confirmed refund the experiment rollup has counted (saved with the state). */
  private refundCursor: RefundCursor | null = null;
  private adReport!: AdReportRollup;
  /**
   * Users' graph features as the social step last wrote them (null: no record), read once per run
   * as pages name the users: serving reads the same records, so a model learns what it is served with.
   */
  private readonly graphs = new Map<string, GraphFeatures | null>();
  /** Campaign id → its merchant (null: no such campaign), looked up as pages name them. */

  constructor(
    private readonly ctx: TrainContext,
    private readonly opts: TrainOptions,
    private readonly started: number,
  ) {
    this.stores = ctx.stores;
    this.window = new ChallengerWindow(opts.challengerWindow);
  }

  async execute(): Promise<TrainResponse> {
    const start = await this.start();
    const read = await this.readAndLearn(start);
    await this.countPaidOrders();
    this.countSkipped(start.join, start.head.model);
    const servingVersion = start.pointer?.version ?? null;
    if (read.events === 0 && read.examples === 0) {
      const finished = await this.finishPromotion(start.checkpoint, servingVersion);
      if (finished) {
        const why = `promoted ${finished}, whose run saved its checkpoint but stopped before promoting it`;
        return { ...emptyResponse('idle', finished, why, this.elapsed()), promoted: true };
      }
      return emptyResponse('idle', servingVersion, 'no new events', this.elapsed());
    }
    const rival = this.challenge();
    if (rival?.verdict.promote) start.head.model = rival.model;
    const derived = await this.writeDerived(read, start.windowBefore);
    // A challenger that replaced the champion is judged against serving on its compared rows.
    const replaced = rival?.verdict.promote === true;
    const verdict = promotionGate({
      candidateAuc: replaced ? rival.auc : this.validation.auc,
      servingAuc: start.serving ? (replaced ? rival.servingAuc : this.servingValidation.auc) : null,
      servingVersion: start.serving ? servingVersion : null,
      examples: replaced ? rival.rows : this.validation.count,
      minExamples: this.opts.minExamples,
    });
    const issue = await this.issueVersion(start, verdict.reason);
    if ('lost' in issue) return this.lost(servingVersion, issue.lost);
    const { issued, versions } = issue;
    const next = await this.commitCheckpoint(start, read, issued, versions);
    if (!next) return this.lost(servingVersion, 'checkpoint moved during the run');
    const promoted =
      issued && verdict.promote ? await this.promote(start, issued, verdict.reason) : false;
    const servingNow = promoted ? issued!.version : servingVersion;
    await this.retireOld(servingNow, next.head);

    return {
      status: 'trained',
      events: read.events,
      examples: read.examples,
      positives: this.validation.positives,
      version: issued?.version ?? null,
      promoted,
      reason: issued ? verdict.reason : 'no impression resolved yet: no new version',
      serving: servingNow,
      auc: finite(this.validation.auc),
      logLoss: finite(this.validation.logLoss),
      servingAuc: start.serving ? finite(this.servingValidation.auc) : null,
      pending: start.join.pendingCount,
      profiles: derived.profiles,
      neighbours: derived.neighbours,
      skipped: this.skipped,
      more: read.more,
      elapsedMs: this.elapsed(),
      ...(rival
        ? {
            challenger: {
              model: rival.chosen,
              replaced: rival.verdict.promote,
              reason: rival.verdict.reason,
            },
          }
        : {}),
    };
  }

  /** The challenger on this run's window, if time is left for it (engine/training/challenger.ts). */
  private challenge(): ChallengeResult | null {
    if (this.opts.clock() >= this.started + this.opts.budgetMs * 0.85) return null;
    return challenge(this.window, { ...DEFAULT_CHALLENGE, config: DEFAULT_CTR_CONFIG });
  }

  /** Phase 1: the checkpoint, the trainer's saved state, the serving model and the head to train on. */
  private async start(): Promise<RunStart> {
    const { ctx, stores } = this;
    const checkpoint = await stores.checkpoints.get(TRAIN_JOB);
    const rev = checkpoint?.rev ?? 0;
    this.profileDocs = new StampedDocs((p) => p.openid, rev);
    this.neighbourDocs = new StampedDocs((l) => l.itemId, rev);
    const saved = await loadTrainState(stores.blobs, checkpoint?.stateKey ?? null, ctx.log);
    // The last run's experiment sums, in case it stopped before adding them (stamped: added once).
    if (checkpoint && saved.rollup?.length)
      await stores.rollups.addExperimentUnits(checkpoint.rev, saved.rollup);
    this.rollup = new ExperimentRollup(await stores.experiments.list({}), saved.rollupSeen);
    this.paidCursor = saved.paidCursor ?? null;
    this.refundCursor = saved.refundCursor ?? null;
    if (checkpoint && saved.adReport?.length)
      await stores.rollups.addAdReportUnits(checkpoint.rev, saved.adReport);
    this.adReport = new AdReportRollup();
    const pointer = await stores.models.serving();
    const serving = pointer ? await tryLoadVersion(stores, pointer.version, ctx.log) : null;
    return {
      checkpoint,
      rev,
      join: new LabelJoin(saved.join, { ...DEFAULT_JOIN_OPTIONS, early: this.opts.earlyLabels }),
      engagements: saved.engagements,
      windowBefore: new Set(saved.engagements.map((r) => r[1])),
      pointer,
      serving,
      head: await this.headModel(checkpoint, pointer?.version ?? null),
    };
  }

  /**
   * Phase 2b: the orders WeChat Pay confirmed since the last counted one, up to the settle window
   * (payNotify and pay, which mark orders paid, finish within it), into the experiment rollup,
   * then the refunds confirmed since the last counted one (refunds do not subtract: they are
   * counted apart, server/learning/experiment-rollup.ts `refunded`). Saved with the checkpoint like the rest of the rollup, so each order counts once; a run that
   * ends idle saves nothing and the next one reads the same orders again.
   */
  private async countPaidOrders(): Promise<void> {
    const before = this.ctx.now() - this.opts.settleMs;
    const readUntil = this.started + this.opts.budgetMs * 0.8;
    for (let page = 0; page < PAID_PAGES; page++) {
      const orders = await this.stores.orders.paidAfter(this.paidCursor, before, PAID_PAGE);
      if (orders.length === 0) break;
      this.rollup.paid(orders);
      const last = orders[orders.length - 1]!;
      this.paidCursor = { paidAt: last.paidAt!, outTradeNo: last.outTradeNo };
      if (orders.length < PAID_PAGE || this.opts.clock() >= readUntil) break;
    }
    // Then the refunds confirmed since the last counted one (refundOrder's notify finishes
    // within the same settle window), each added once against the experiments its order counted for.
    for (let page = 0; page < PAID_PAGES; page++) {
      const orders = await this.stores.orders.refundedAfter(this.refundCursor, before, PAID_PAGE);
      if (orders.length === 0) return;
      this.rollup.refunded(orders);
      const last = orders[orders.length - 1]!;
      this.refundCursor = { refundedAt: last.refundedAt!, outTradeNo: last.outTradeNo };
      if (orders.length < PAID_PAGE || this.opts.clock() >= readUntil) return;
    }
  }

  /** Phase 2: read and learn until the log is drained or the budget (less a reserve for saving) is spent. */
  private async readAndLearn(start: RunStart): Promise<ReadResult> {
    const { ctx, stores, opts } = this;
    const { join, head, serving } = start;
    const readUntil = this.started + opts.budgetMs * 0.75;
    const read: ReadResult = {
      cursor: start.checkpoint?.cursor ?? null,
      events: 0,
      examples: 0,
      engaged: 0,
      engagements: start.engagements,
      more: false,
    };
    for (;;) {
      const settledBefore = ctx.now() - opts.settleMs;
      const page = await stores.events.readAfter(read.cursor, settledBefore, opts.pageSize);
      const drained = page.events.length < opts.pageSize;
      if (page.events.length > 0) {
        await this.prepare(page.events);
        const slates = new Map(
          (await stores.slates.get(LabelJoin.slateIds(page.events))).map(
            (x): [string, ServedSlate] => [x.slateId, x],
          ),
        );
        join.ingest(page.events, slates, (openid, at, personalised) =>
          userFeatures(
            openid,
            this.aggregator.profile(openid),
            at,
            personalised,
            this.graphs.get(openid) ?? null,
          ),
        );
        this.rollup.ingest(
          page.events,
          slates,
          (openid) => this.aggregator.profile(openid)?.purchase?.p ?? null,
        );
        this.adReport.ingest(page.events, slates);
        this.aggregator.apply(page.events, this.items);
        read.engagements = appendEngagements(
          read.engagements,
          page.events,
          ctx.now(),
          opts.itemModel,
        );
        // Counted from the events: a full window keeps its length as new rows push old ones out.
        read.engaged += page.events.filter(isEngagement).length;
        read.cursor = page.cursor;
        read.events += page.events.length;
      }
      // Every event older than the watermark has been read: positions whose window closed by then are final.
      const watermark = drained
        ? settledBefore
        : Math.min(settledBefore, page.events[page.events.length - 1].serverTime - opts.settleMs);
      read.examples += await this.learn(
        join,
        join.flush(watermark),
        head.model,
        serving?.model ?? null,
      );
      if (drained) return read;
      if (opts.clock() >= readUntil) return { ...read, more: true };
    }
  }

  /** What the join, the aggregator and the model refused, for the response. */
  private countSkipped(join: LabelJoin, model: Learner): void {
    for (const [k, v] of Object.entries(join.stats))
      if (!['impressions', 'clicks', 'positives', 'negatives'].includes(k) && v)
        this.skipped[k] = v;
    for (const [k, v] of Object.entries(this.aggregator.stats))
      if (k === 'invalid' && v) this.skipped.profileInvalid = v;
    for (const [k, v] of Object.entries(model.skipped)) if (v) this.skipped[`refused_${k}`] = v;
  }

  /** Phase 3: the profiles and neighbour lists the run changed, stamped with its revision. */
  private async writeDerived(
    read: ReadResult,
    windowBefore: ReadonlySet<string>,
  ): Promise<{ profiles: number; neighbours: number }> {
    const profiles = this.aggregator.changedProfiles();
    const refresh = await this.neighbourLists(read.engagements, read.engaged, windowBefore);
    const neighbours = refresh?.lists ?? [];
    await this.stores.profiles.put(this.profileDocs.stamp(profiles));
    // EASE's lists are the whole model: they replace the stored set (lists of items gone from the window or unpublished go).
    if (refresh?.whole) await this.stores.neighbours.replace(this.neighbourDocs.stamp(neighbours));
    else await this.stores.neighbours.put(this.neighbourDocs.stamp(neighbours));
    return { profiles: profiles.length, neighbours: neighbours.length };
  }

  /**
   * Phase 4: a new version whenever the model learned something (the gate decides later whether it
   * serves), its blob written and its record added; `lost` says why when its number was taken meanwhile.
   */
  private async issueVersion(
    start: RunStart,
    reason: string,
  ): Promise<{ issued: ModelVersion | null; versions: number } | { lost: string }> {
    const { stores, validation } = this;
    let versions = start.checkpoint?.versions ?? 0;
    if (validation.count === 0) return { issued: null, versions };
    // A run that died after recording its version but before saving its checkpoint left that
    // number taken (never serving: promotion follows the checkpoint). Retire it and number past it.
    const [newest] = await stores.models.list(1);
    const taken = newest ? versionNumber(newest.version) : 0;
    if (taken > versions) {
      await stores.models.setStatus(
        newest.version,
        'retired',
        'orphaned: its training run stopped before saving the checkpoint',
      );
      versions = taken;
    }
    versions += 1;
    const version = versionName(versions);
    const blobKey = modelBlobKey(version);
    const { head, serving } = start;
    await writeModelBlob(stores.blobs, blobKey, head.model, this.transformer.scaler);
    const issued: ModelVersion = {
      version,
      kind: kindOf(head.model),
      createdAt: this.ctx.now(),
      parent: head.version,
      examplesSeen: head.seen + validation.count,
      metrics: {
        examples: validation.count,
        positives: validation.positives,
        auc: finite(validation.auc),
        logLoss: finite(validation.logLoss),
        calibration: finite(validation.calibrationRatio),
        servingAuc: serving ? finite(this.servingValidation.auc) : null,
      },
      status: 'candidate',
      reason,
      blobKey,
    };
    if (!(await stores.models.add(issued))) return { lost: `version ${version} exists already` };
    return { issued, versions };
  }

  /**
   * Phase 5: the trainer's state and the checkpoint, by compare-and-set on its revision; null when
   * another run moved it (this run's version is retired and its state deleted).
   */
  private async commitCheckpoint(
    start: RunStart,
    read: ReadResult,
    issued: ModelVersion | null,
    versions: number,
  ): Promise<Checkpoint | null> {
    const { stores } = this;
    const { rev, checkpoint } = start;
    const nextKey = stateKey(rev + 1);
    const rollup = this.rollup.snapshot();
    const adReport = this.adReport.snapshot();
    await saveTrainState(stores.blobs, nextKey, {
      join: start.join.snapshot(),
      engagements: read.engagements,
      rollup,
      rollupSeen: this.rollup.seenPositions(),
      adReport,
      paidCursor: this.paidCursor,
      refundCursor: this.refundCursor,
    });
    const next: Checkpoint = {
      name: TRAIN_JOB,
      rev: rev + 1,
      cursor: read.cursor,
      head: issued?.version ?? start.head.version,
      stateKey: nextKey,
      versions,
      updatedAt: this.ctx.now(),
    };
    if (!(await stores.checkpoints.save(next, rev))) {
      if (issued)
        await stores.models.setStatus(
          issued.version,
          'retired',
          'lost the checkpoint race to another run',
        );
      await stores.blobs.delete(nextKey);
      return null;
    }
    if (checkpoint?.stateKey && checkpoint.stateKey !== nextKey)
      await stores.blobs.delete(checkpoint.stateKey);
    if (rollup.length) {
      try {
        await stores.rollups.addExperimentUnits(next.rev, rollup);
      } catch (err) {
        // Saved with the state: the next run adds them.
        this.ctx.log.error('experiment rollups not added yet', {
          error: err instanceof Error ? err.message : String(err),
        });
      }
    }
    if (adReport.length) {
      try {
        await stores.rollups.addAdReportUnits(next.rev, adReport);
      } catch (err) {
        this.ctx.log.error('campaign report rollups not added yet', {
          error: err instanceof Error ? err.message : String(err),
        });
      }
    }
    return next;
  }

  /** Phase 6: the issued version serves, unless the pointer moved during the run (a rollback). */
  private async promote(start: RunStart, issued: ModelVersion, reason: string): Promise<boolean> {
    const { stores } = this;
    const promoted = await stores.models.swapServing(start.pointer?.version ?? null, {
      version: issued.version,
      since: this.ctx.now(),
      reason,
    });
    if (promoted) await stores.models.setStatus(issued.version, 'promoted', reason);
    else
      await stores.models.setStatus(
        issued.version,
        'candidate',
        'serving pointer moved during the run (rollback?)',
      );
    return promoted;
  }

  /**
   * A run that saved its checkpoint and then stopped (a crash, a lost answer) before promoting a
   * version the gate passed leaves it a candidate, and later runs continue from it without serving
   * it. Promote it now, only if the gate, recomputed from its recorded metrics against the same
   * serving version, says so in the same words (a version rolled back from, one that lost a race,
   * or a challenger judged on figures not recorded carries another reason and is left alone).
   */
  private async finishPromotion(
    checkpoint: Checkpoint | null,
    serving: string | null,
  ): Promise<string | null> {
    const head = checkpoint?.head ?? null;
    if (head === null || head === serving) return null;
    const meta = await this.stores.models.get(head);
    if (!meta || meta.status !== 'candidate') return null;
    const verdict = promotionGate({
      candidateAuc: meta.metrics.auc ?? Number.NaN,
      servingAuc: serving === null ? null : meta.metrics.servingAuc,
      servingVersion: serving,
      examples: meta.metrics.examples,
      minExamples: this.opts.minExamples,
    });
    if (!verdict.promote || verdict.reason !== meta.reason) return null;
    const since = this.ctx.now();
    if (
      !(await this.stores.models.swapServing(serving, {
        version: head,
        since,
        reason: verdict.reason,
      }))
    )
      return null;
    await this.stores.models.setStatus(head, 'promoted', verdict.reason);
    return head;
  }

  /** The model training continues from: the checkpoint's head, else the serving version, else a fresh one. */
  private async headModel(
    checkpoint: Checkpoint | null,
    servingVersion: string | null,
  ): Promise<HeadModel> {
    for (const v of [checkpoint?.head ?? null, servingVersion]) {
      if (v === null) continue;
      const got: LoadedModel | null = await tryLoadVersion(this.stores, v, this.ctx.log);
      if (got) {
        // The running statistics go on from the ones stored with the model it continues.
        this.transformer.scaler = got.scaler;
        return { model: got.model, version: v, seen: got.meta.examplesSeen };
      }
      this.skipped.unloadableModels = (this.skipped.unloadableModels ?? 0) + 1;
    }
    return { model: createCtrModel(DEFAULT_CTR_CONFIG), version: null, seen: 0 };
  }

  /** Loads what a page needs that is not held yet: profiles, neighbour lists, item facts. */
  private async prepare(events: readonly StoredEvent[]): Promise<void> {
    const users = this.aggregator.missingUsers(events);
    if (users.length)
      this.aggregator.loadProfiles(
        this.profileDocs.committed(users, await this.stores.profiles.get(users)),
      );
    // The cosine builder updates stored lists incrementally; EASE relearns them whole.
    if (this.opts.itemModel.kind === 'cosine') {
      const items = this.aggregator.missingItems(events);
      if (items.length)
        this.aggregator.loadNeighbours(
          this.neighbourDocs.committed(items, await this.stores.neighbours.get(items)),
        );
    }
    await this.loadItems(events.map((e) => e.itemId));
    if (this.opts.graphFeatures) {
      const readers = [...new Set(events.map((e) => e.openid))].filter((u) => !this.graphs.has(u));
      const records = await Promise.all(readers.map((u) => this.stores.social.record(u)));
      readers.forEach((u, i) => this.graphs.set(u, records[i]?.features ?? null));
    }
  }

  private async loadItems(ids: Array<string | undefined>): Promise<void> {
    const missing = [
      ...new Set(ids.filter((id): id is string => typeof id === 'string' && !this.items.has(id))),
    ];
    if (!missing.length) return;
    for (const it of await this.stores.catalog.get(missing))
      this.items.set(it.id, { category: it.category, tags: it.tags, publishedAt: it.publishedAt });
    for (const id of missing) if (!this.items.has(id)) this.items.set(id, null);
  }

  /** Learns each labelled impression (progressive validation first), and scores it with the serving model too. */
  private async learn(
    join: LabelJoin,
    batch: LabelledImpression[],
    model: Learner,
    serving: Learner | null,
  ): Promise<number> {
    await this.loadItems(batch.map((b) => b.itemId));
    let learned = 0;
    const promptShare = join.promptShare;
    for (const ex of batch) {
      const user = ex.user ?? userFeatures(ex.openid, null, ex.impressionAt, ex.personalised);
      const meta = ex.itemId !== undefined ? this.items.get(ex.itemId) : null;
      const input = cardInput(
        user,
        { itemId: ex.itemId, adId: ex.adId, meta },
        { at: ex.impressionAt, position: ex.position, scene: ex.scene },
      );
      const x = this.transformer.transform(input, this.vec);
      // A provisional negative weighs the chance that it stays one (engine/labels/join.ts).
      const weight = ex.provisional ? provisionalWeight(model.predict(x), promptShare) : 1;
      const p = model.learn(x, ex.clicked, weight);
      if (p === null) continue;
      // Scaled with the statistics before it, then folded into them (running, as online learning is).
      this.transformer.observeNumeric(user);
      learned++;
      // Judged with the same weights, so the metrics stand for the true labels, not the provisional ones.
      this.validation.add(ex.clicked, p, weight);
      const q = serving?.predict(x);
      if (q !== undefined) this.servingValidation.add(ex.clicked, q, weight);
      // The challenger refits this stream unweighted (its window keeps no weights): a click that
      // came after its impression's first flush counts there as a negative too (a known gap).
      this.window.add(x, ex.clicked, p, q);
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
    const model = this.opts.itemModel;
    if (model.kind === 'cosine')
      return { lists: this.aggregator.changedNeighbours(), whole: false };
    const inWindow = new Set(window.map((r) => r[1]));
    if (engaged === 0 && [...windowBefore].every((id) => inWindow.has(id))) return null;
    const unpublished = new Set(
      (await this.stores.catalog.get([...inWindow]))
        .filter((it) => it.status !== 'published')
        .map((it) => it.id),
    );
    const left = this.started + this.opts.budgetMs * 0.9 - this.opts.clock();
    if (itemsWithin(left, model) < 2 && inWindow.size > unpublished.size) {
      this.skipped.itemModelNoTime = (this.skipped.itemModelNoTime ?? 0) + 1;
      return null;
    }
    return {
      lists: learnNeighbourLists(window, this.ctx.now(), left, model, unpublished),
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
    const all = await this.stores.models.list(this.opts.keepVersions + 20);
    for (const v of all.slice(this.opts.keepVersions)) {
      if (v.status === 'retired' || v.version === serving || v.version === head) continue;
      await this.stores.blobs.delete(v.blobKey);
      await this.stores.models.setStatus(
        v.version,
        'retired',
        `blob freed: older than the newest ${this.opts.keepVersions} versions`,
      );
    }
  }
}
