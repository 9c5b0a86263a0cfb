/**
 * Experiments as a use case: a platform admin (platform experiments, and any merchant's) or a
 * merchant owner (its own) creates, starts and stops them; staff may look. Starting takes a
 * free bucket range of the parameter's layer, so two running experiments on one parameter never
 * share a user; stopping gives the range back. Another merchant's experiment answers as absent.
 * A merchant may only vary parameters scoped to its own ads (PARAMETER_SCOPE): the platform's
 * ranking for everyone is the admins' to test. Create, start and stop are written to the audit
 * log (who, when, what), readable like the experiment itself.
 *
 * A creative experiment (ad.creative) is a merchant's A/B test of one of its own campaigns'
 * creatives: the campaign must be the experiment's merchant's when it is created and again when
 * it starts (another merchant's answers as absent), not ended, and the first variant must be the
 * campaign's creative as it is then (the control). Each campaign is its own layer. Every variant
 * must be one the deployment's scene would serve (campaign-scene.ts), like the campaign itself:
 * refused when created (INVALID_INPUT, per variant) and when started (CONFLICT), with the
 * campaign's own message.
 */
import { randomBytes } from 'node:crypto';
import type {
  AuditActorView,
  Campaign,
  Experiment,
  ExperimentAuditEntry,
  ExperimentInput,
  FieldChange,
} from '../../typings';
import { allocateRange, rangesOverlap } from '../engine/experiments/assign';
import { BUCKETS, layerOf, ownerMayVary, sameCreative } from '../engine/experiments/definition';
import { AppError, forbidden, invalidInput, notFound } from '../errors';
import type { FunctionContext } from '../runtime/function';
import { requireMember, type Actor } from './access';
import { variantsOutOfScene } from './campaign-scene';
import { auditNamer } from './members';

type Ctx = Pick<FunctionContext, 'stores' | 'now' | 'config'>;

const STATUS_NAME = { draft: '草稿', running: '进行中', stopped: '已停止' } as const;

const platformOnly = (parameter: string): AppError =>
  forbidden(
    `参数 ${parameter} 会改变平台所有用户的排序，只有平台管理员可以做实验；商家的实验只能改变自己广告计划的参数`,
  );

async function audit(
  ctx: Ctx,
  actor: Actor,
  e: Experiment,
  action: ExperimentAuditEntry['action'],
  changes: FieldChange[],
): Promise<void> {
  await ctx.stores.merchants.appendExperimentAudit({
    experimentId: e.id,
    merchantId: e.merchantId,
    actor: actor.openid,
    at: ctx.now(),
    action,
    changes,
  });
}

/** The experiment if the caller may see it (admin: any; member: its merchant's), else NOT_FOUND. */
async function visible(ctx: Ctx, actor: Actor, id: string): Promise<Experiment> {
  const e = await ctx.stores.experiments.get(id);
  if (
    e &&
    (actor.admin || (actor.membership !== null && e.merchantId === actor.membership.merchantId))
  )
    return e;
  if (!actor.admin) requireMember(actor);
  throw notFound('找不到这个实验');
}

/** The experiment if the caller may change it: admins, or an owner of its merchant. */
async function changeable(ctx: Ctx, actor: Actor, id: string): Promise<Experiment> {
  const e = await visible(ctx, actor, id);
  if (!actor.admin) requireMember(actor, ['owner']);
  return e;
}

export async function listExperiments(ctx: Ctx, actor: Actor): Promise<Experiment[]> {
  if (actor.admin) return ctx.stores.experiments.list({});
  return ctx.stores.experiments.list({ merchantId: requireMember(actor).merchantId });
}

export const getExperiment = (ctx: Ctx, actor: Actor, id: string): Promise<Experiment> =>
  visible(ctx, actor, id);

/**
 * The campaign a creative experiment varies, if `merchantId` owns it (null: an admin, any
 * campaign) and it has not ended; NOT_FOUND for another merchant's, as for one that does not exist.
 */
async function experimentCampaign(
  ctx: Ctx,
  merchantId: string | null,
  campaignId: string,
): Promise<Campaign> {
  const c = await ctx.stores.ads.getCampaign(campaignId);
  if (!c || (merchantId !== null && c.merchantId !== merchantId))
    throw notFound('找不到这个广告计划（创意实验只能针对自己商家的广告计划）');
  if (c.status === 'ended') throw new AppError('CONFLICT', '已结束的广告计划不能做创意实验');
  return c;
}

/** The first variant of a creative experiment must show the campaign's creative as it is now. */
function checkControl(
  c: Campaign,
  input: Pick<Experiment, 'variants'>,
  when: 'create' | 'start',
): void {
  const control = input.variants[0]?.value;
  if (
    control === undefined ||
    typeof control !== 'object' ||
    Array.isArray(control) ||
    !sameCreative(control, c.creative)
  ) {
    throw new AppError(
      'CONFLICT',
      when === 'create'
        ? '第一个变体（对照组）应为广告计划当前的创意；计划的创意可能刚被修改，请刷新后重试'
        : '实验创建后广告计划的创意已被修改，对照组已不是计划当前的创意；请停止这个实验并重新创建',
    );
  }
}

/**
 * A variant's new image must be one this environment published, like a campaign's
 * (campaign-rules.ts); the control's is the campaign's own. And each variant must be shown in the
 * deployment's scene, like the campaign (its landing decides, as the campaign's does). Every
 * problem at once, per variant.
 */
async function checkVariants(
  ctx: Pick<Ctx, 'stores' | 'config'>,
  c: Campaign,
  input: Pick<Experiment, 'variants'>,
): Promise<void> {
  const issues = input.variants.flatMap((v, i) => {
    const image = (v.value as { image?: unknown } | null)?.image;
    return typeof image === 'string' &&
      image !== '' &&
      image !== c.creative.image &&
      !ctx.stores.adImages.isPublished(image)
      ? [
          {
            path: `experiment.variants.${i}.value.image`,
            message: '图片须为在本小程序中上传并发布的图片，请重新上传',
          },
        ]
      : [];
  });
  for (const { index, reason } of await variantsOutOfScene(
    ctx.stores,
    ctx.config,
    c,
    input.variants,
  ))
    issues.push({ path: `experiment.variants.${index}.value.landing`, message: reason });
  if (issues.length > 0) throw invalidInput(issues);
}

/**
 * A new draft: an admin's belongs to the platform, an owner's to its merchant; a creative
 * experiment belongs to its campaign's merchant (also when an admin creates it).
 */
export async function createExperiment(
  ctx: Ctx,
  actor: Actor,
  input: ExperimentInput,
): Promise<Experiment> {
  let merchantId = actor.admin ? null : requireMember(actor, ['owner']).merchantId;
  if (!ownerMayVary(merchantId, input.parameter)) throw platformOnly(input.parameter);
  let campaignId: string | undefined;
  if (input.parameter === 'ad.creative' && input.campaignId !== undefined) {
    const c = await experimentCampaign(ctx, merchantId, input.campaignId);
    checkControl(c, input, 'create');
    await checkVariants(ctx, c, input);
    merchantId = c.merchantId;
    campaignId = c.id;
  }
  const e: Experiment = {
    id: `exp_${randomBytes(6).toString('hex')}`,
    merchantId,
    name: input.name,
    parameter: input.parameter,
    ...(campaignId === undefined ? {} : { campaignId }),
    buckets: Math.round((input.trafficPercent / 100) * BUCKETS),
    range: null,
    variants: input.variants,
    targetMetric: input.targetMetric,
    guardrails: input.guardrails.filter((g) => g !== input.targetMetric),
    status: 'draft',
    salt: randomBytes(8).toString('hex'),
    createdAt: ctx.now(),
    startedAt: null,
    stoppedAt: null,
    version: 1,
  };
  if (!(await ctx.stores.experiments.create(e)))
    throw new AppError('CONFLICT', '实验编号冲突，请重试');
  const fields = [
    ...(campaignId === undefined ? [] : (['campaignId'] as const)),
    'name',
    'parameter',
    'buckets',
    'variants',
    'targetMetric',
    'guardrails',
    'status',
  ] as const;
  await audit(
    ctx,
    actor,
    e,
    'create',
    fields.map((f) => ({ field: f, before: null, after: e[f] })),
  );
  return e;
}

const lostRace = (): AppError => new AppError('CONFLICT', '实验刚被其他人修改，请刷新后重试');

/** draft → running, taking the lowest free range of the layer; CONFLICT when the layer has no room. */
export async function startExperiment(ctx: Ctx, actor: Actor, id: string): Promise<Experiment> {
  const e = await changeable(ctx, actor, id);
  if (e.status !== 'draft')
    throw new AppError(
      'CONFLICT',
      `${STATUS_NAME[e.status]}的实验不能开始（停止的实验不能重开：重开会让用户换组）`,
    );
  // A merchant's draft from before the restriction: serving would ignore it, so it does not start.
  if (!ownerMayVary(e.merchantId, e.parameter)) throw platformOnly(e.parameter);
  if (e.parameter === 'ad.creative') {
    // The campaign must still be the experiment's merchant's, live or pausable, and still show the control.
    if (!e.campaignId) throw new AppError('CONFLICT', '这个创意实验没有指定广告计划，不能开始');
    const c = await experimentCampaign(ctx, e.merchantId, e.campaignId);
    checkControl(c, e, 'start');
    // The scene (or the campaign's targeting) may have changed since the draft was made.
    const [outside] = await variantsOutOfScene(ctx.stores, ctx.config, c, e.variants);
    if (outside) throw new AppError('CONFLICT', outside.reason);
  }
  const layer = layerOf(e);
  const others = (await ctx.stores.experiments.list({ status: 'running' })).filter(
    (o) => layerOf(o) === layer && o.range,
  );
  const range = allocateRange(
    others.map((o) => o.range!),
    e.buckets,
  );
  if (!range) {
    throw new AppError(
      'CONFLICT',
      e.campaignId
        ? '这个广告计划的流量已被另一个创意实验占满，请减少流量比例或等那个实验结束'
        : `参数 ${e.parameter} 的流量已被其他实验占满，请减少流量比例或等其他实验结束`,
    );
  }
  const now = ctx.now();
  const started: Experiment = {
    ...e,
    status: 'running',
    range,
    startedAt: now,
    version: e.version + 1,
  };
  if (!(await ctx.stores.experiments.update(started, e.version))) throw lostRace();
  // Two starts in one layer at once can pick the same gap; the one started later (then by id) steps back.
  const clash = (await ctx.stores.experiments.list({ status: 'running' })).find(
    (o) =>
      o.id !== e.id &&
      layerOf(o) === layer &&
      o.range &&
      rangesOverlap(o.range, range) &&
      ((o.startedAt ?? 0) < now || ((o.startedAt ?? 0) === now && o.id < e.id)),
  );
  if (clash) {
    await ctx.stores.experiments.update({ ...e, version: started.version + 1 }, started.version);
    throw new AppError('CONFLICT', '同一参数的另一个实验刚刚开始，请重试');
  }
  await audit(ctx, actor, started, 'start', [
    { field: 'status', before: e.status, after: started.status },
    { field: 'range', before: e.range, after: started.range },
  ]);
  return started;
}

/** running (or draft) → stopped, giving the range back; final, so users never switch variants within one experiment. */
export async function stopExperiment(ctx: Ctx, actor: Actor, id: string): Promise<Experiment> {
  const e = await changeable(ctx, actor, id);
  if (e.status === 'stopped') throw new AppError('CONFLICT', '实验已经停止');
  const stopped: Experiment = {
    ...e,
    status: 'stopped',
    range: null,
    // kept to attribute what happened before the stop (variantsAt)
    heldRange: e.range ?? e.heldRange ?? null,
    stoppedAt: ctx.now(),
    version: e.version + 1,
  };
  if (!(await ctx.stores.experiments.update(stopped, e.version))) throw lostRace();
  await audit(ctx, actor, stopped, 'stop', [
    { field: 'status', before: e.status, after: stopped.status },
    { field: 'range', before: e.range, after: stopped.range },
  ]);
  return stopped;
}

/** Who created, started and stopped the experiment, oldest first: for whoever may see it. */
export async function experimentAudit(
  ctx: Ctx,
  actor: Actor,
  id: string,
): Promise<(Omit<ExperimentAuditEntry, 'actor'> & AuditActorView)[]> {
  const e = await visible(ctx, actor, id);
  const name = await auditNamer(ctx, e.merchantId);
  return (await ctx.stores.merchants.listExperimentAudit(e.id, 1000)).map(
    ({ actor: who, ...rest }) => ({ ...rest, ...name(who) }),
  );
}
