/**
 * A merchant's campaigns: create (as a draft), edit, and move through their lifecycle, each
 * change checked and written to the audit log (who, when, which fields from what to what).
 * A campaign of another merchant answers exactly like one that does not exist.
 *
 * Lifecycle: draft --start--> active <--pause/resume--> paused; any but ended --end--> ended.
 * Ended is final: it cannot be resumed or edited. Owners do everything; staff may look and pause.
 *
 * Every change is compare-and-set on the campaign's revision (optimistic concurrency): two
 * edits made from the same read cannot both land, so one never silently undoes the other; the
 * loser answers CONFLICT and asks for a reload. An editor may send the revision it loaded, so
 * that an edit made on a stale screen is refused too.
 */
import { randomUUID } from 'node:crypto';
import type {
  AuditEntry,
  AuditEntryView,
  Campaign,
  CampaignInput,
  CampaignStatus,
  CampaignSummary,
  FieldChange,
  Membership,
} from '../../typings';
import { ALL, SPEND } from '../engine/ads/counter-keys';
import { dayBucket } from '../engine/time';
import { AppError, notFound } from '../errors';
import type { FunctionContext } from '../runtime/function';
import { requireMember, type Actor } from './access';
import { checkMinimumAudience } from './audience';
import { checkCampaignRules } from './campaign-rules';
import { landingCategories, outOfSceneOf } from './campaign-scene';
import { auditNamer } from './members';
import { sceneOf } from '../scenes';

type Ctx = Pick<FunctionContext, 'stores' | 'config' | 'now'>;

export type Transition = 'start' | 'pause' | 'resume' | 'end';

/** Where each transition may start, and where it leads. */
const TRANSITIONS: Record<
  Transition,
  { from: readonly CampaignStatus[]; to: CampaignStatus; roles: readonly Membership['role'][] }
> = {
  start: { from: ['draft'], to: 'active', roles: ['owner'] },
  pause: { from: ['active'], to: 'paused', roles: ['owner', 'staff'] },
  resume: { from: ['paused'], to: 'active', roles: ['owner'] },
  end: { from: ['draft', 'active', 'paused'], to: 'ended', roles: ['owner'] },
};

const STATUS_NAME: Record<CampaignStatus, string> = {
  draft: '草稿',
  active: '投放中',
  paused: '已暂停',
  ended: '已结束',
};
const TRANSITION_NAME: Record<Transition, string> = {
  start: '开始投放',
  pause: '暂停',
  resume: '恢复',
  end: '结束',
};

export const INPUT_FIELDS = [
  'name',
  'creative',
  'targeting',
  'bidFen',
  'dailyBudgetFen',
  'totalBudgetFen',
  'startAt',
  'endAt',
  'hours',
  'riskLevel',
  'bidding',
] as const satisfies readonly (keyof CampaignInput)[];

function inputOf(c: Campaign): CampaignInput {
  return Object.fromEntries(INPUT_FIELDS.map((f) => [f, c[f]])) as unknown as CampaignInput;
}

/** Fields whose values differ, compared as JSON (creative and targeting are nested). */
function diff(before: object, after: object, fields: readonly string[]): FieldChange[] {
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  return fields
    .filter((f) => JSON.stringify(b[f]) !== JSON.stringify(a[f]))
    .map((f) => ({ field: f, before: b[f] ?? null, after: a[f] ?? null }));
}

export async function audit(
  ctx: Ctx,
  actor: Actor,
  campaign: Campaign,
  action: AuditEntry['action'],
  changes: FieldChange[],
): Promise<void> {
  await ctx.stores.merchants.appendAudit({
    campaignId: campaign.id,
    merchantId: campaign.merchantId,
    actor: actor.openid,
    at: ctx.now(),
    action,
    changes,
  });
}

/** The caller's merchant's campaign, or NOT_FOUND (also for another merchant's: ids reveal nothing). */
export async function ownCampaign(
  ctx: Ctx,
  member: Membership,
  campaignId: string,
): Promise<Campaign> {
  const c = await ctx.stores.ads.getCampaign(campaignId);
  if (!c || c.merchantId !== member.merchantId) throw notFound('找不到这个广告计划');
  return c;
}

/**
 * The merchant's campaigns with today's (CST) spend and billed clicks and the lifetime spend:
 * read from the same counters the click charge guards the budgets with, two reads in all.
 */
export async function listCampaigns(ctx: Ctx, actor: Actor): Promise<CampaignSummary[]> {
  const campaigns = await ctx.stores.ads.listCampaigns(requireMember(actor).merchantId);
  if (campaigns.length === 0) return [];
  const day = dayBucket(ctx.now());
  const ids = campaigns.map((c) => c.id);
  const [today, total, categories] = await Promise.all([
    ctx.stores.counters.read(SPEND, ids, day),
    ctx.stores.counters.read(SPEND, ids, ALL),
    // Only a scene that restricts campaigns needs their landings' categories.
    sceneOf(ctx.config.scene).categories ? landingCategories(ctx.stores, campaigns) : new Map(),
  ]);
  return campaigns.map((c) => {
    const outOfScene = c.status === 'ended' ? null : outOfSceneOf(c, ctx.config, categories);
    return {
      ...c,
      today: { day, clicks: today[c.id]?.clicks ?? 0, spentFen: today[c.id]?.spentFen ?? 0 },
      spentTotalFen: total[c.id]?.spentFen ?? 0,
      ...(outOfScene ? { outOfScene } : {}),
    };
  });
}

export async function getCampaign(ctx: Ctx, actor: Actor, campaignId: string): Promise<Campaign> {
  return ownCampaign(ctx, requireMember(actor), campaignId);
}

export async function createCampaign(
  ctx: Ctx,
  actor: Actor,
  input: CampaignInput,
): Promise<Campaign> {
  const member = requireMember(actor, ['owner']);
  const now = ctx.now();
  await checkCampaignRules(input, {
    config: ctx.config,
    stores: ctx.stores,
    now,
    changed: new Set(INPUT_FIELDS),
    spentTotalFen: 0,
  });
  const campaign: Campaign = {
    id: `c_${randomUUID().replace(/-/g, '')}`,
    merchantId: member.merchantId,
    status: 'draft',
    ...input,
    createdAt: now,
    updatedAt: now,
    revision: 1,
  };
  await ctx.stores.ads.upsertCampaigns([campaign]);
  await audit(
    ctx,
    actor,
    campaign,
    'create',
    diff({}, { ...input, status: 'draft' }, [...INPUT_FIELDS, 'status']),
  );
  return campaign;
}

const revisionOf = (c: Campaign): number => c.revision ?? 0;

/** Someone else changed the campaign since the caller read it. */
const stale = (): AppError =>
  new AppError('CONFLICT', '广告计划刚被其他人修改过，请刷新页面、确认最新内容后再修改');

/** The campaign as read, refused if the caller's editor loaded another revision. */
export async function currentAt(
  ctx: Ctx,
  member: Membership,
  campaignId: string,
  expectedRevision: number | undefined,
): Promise<Campaign> {
  const c = await ownCampaign(ctx, member, campaignId);
  if (expectedRevision !== undefined && expectedRevision !== revisionOf(c)) throw stale();
  return c;
}

/** Writes `next` if the campaign is still at the revision `current` was read at; CONFLICT otherwise. */
export async function writeFrom(ctx: Ctx, current: Campaign, next: Campaign): Promise<Campaign> {
  const written: Campaign = { ...next, revision: revisionOf(current) + 1 };
  if (!(await ctx.stores.ads.updateCampaign(written, revisionOf(current)))) throw stale();
  return written;
}

export async function updateCampaign(
  ctx: Ctx,
  actor: Actor,
  campaignId: string,
  patch: Partial<CampaignInput>,
  expectedRevision?: number,
): Promise<Campaign> {
  const member = requireMember(actor, ['owner']);
  const current = await currentAt(ctx, member, campaignId, expectedRevision);
  if (current.status === 'ended') throw new AppError('CONFLICT', '已结束的广告计划不能修改');
  const before = inputOf(current);
  const next: CampaignInput = { ...before, ...patch };
  const changes = diff(before, next, INPUT_FIELDS);
  if (changes.length === 0) return current;
  const spent =
    (await ctx.stores.counters.read(SPEND, [campaignId], ALL))[campaignId]?.spentFen ?? 0;
  const changed = new Set(changes.map((c) => c.field as keyof CampaignInput));
  if (changed.has('creative')) {
    // A running creative experiment's control is the creative as it was: changing it would mislabel the test.
    const running = await ctx.stores.experiments.list({
      merchantId: current.merchantId,
      status: 'running',
    });
    if (running.some((e) => e.parameter === 'ad.creative' && e.campaignId === current.id)) {
      throw new AppError(
        'CONFLICT',
        '这个广告计划正在进行创意实验，实验期间不能修改创意；请先停止实验',
      );
    }
  }
  await checkCampaignRules(next, {
    config: ctx.config,
    stores: ctx.stores,
    now: ctx.now(),
    changed,
    spentTotalFen: spent,
  });
  const updated = await writeFrom(ctx, current, { ...current, ...next, updatedAt: ctx.now() });
  await audit(ctx, actor, updated, 'update', changes);
  return updated;
}

export async function transitionCampaign(
  ctx: Ctx,
  actor: Actor,
  campaignId: string,
  t: Transition,
  expectedRevision?: number,
): Promise<Campaign> {
  const rule = TRANSITIONS[t];
  const member = requireMember(actor, rule.roles);
  const current = await currentAt(ctx, member, campaignId, expectedRevision);
  if (!rule.from.includes(current.status)) {
    throw new AppError(
      'CONFLICT',
      `${STATUS_NAME[current.status]}的广告计划不能${TRANSITION_NAME[t]}`,
    );
  }
  if ((t === 'start' || t === 'resume') && current.endAt <= ctx.now())
    throw new AppError('CONFLICT', '广告计划的投放期已过，请先修改结束时间');
  if (t === 'start' || t === 'resume') {
    // A campaign stored before the deployment's scene was set (or changed) would never serve.
    const outside = outOfSceneOf(
      current,
      ctx.config,
      await landingCategories(ctx.stores, [current]),
    );
    if (outside) throw new AppError('CONFLICT', outside);
    // Users stop sharing or leave: an audience may have shrunk below the minimum since the edit.
    await checkMinimumAudience(ctx.stores, ctx.config, current.targeting);
  }
  const updated = await writeFrom(ctx, current, {
    ...current,
    status: rule.to,
    updatedAt: ctx.now(),
  });
  await audit(ctx, actor, updated, t, [
    { field: 'status', before: current.status, after: rule.to },
  ]);
  return updated;
}

export async function campaignAudit(
  ctx: Ctx,
  actor: Actor,
  campaignId: string,
): Promise<AuditEntryView[]> {
  const c = await ownCampaign(ctx, requireMember(actor), campaignId);
  const name = await auditNamer(ctx, c.merchantId);
  return (await ctx.stores.merchants.listAudit(c.id, 1000)).map(({ actor: who, ...rest }) => ({
    ...rest,
    ...name(who),
  }));
}
