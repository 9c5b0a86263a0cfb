/**
 * Validation of an experiment definition: names, weights, and each variant's value checked
 * against its parameter. An ad.creative experiment names the campaign and gives 2–4 creatives,
 * each validated exactly like a campaign's (creative-schema.ts), all different; its target and
 * guardrails are among CREATIVE_METRICS (CTR, or the merchant's revenue per exposed user, gross
 * or net of refunds: a merchant may pick the winning creative by money kept).
 */
import { z } from 'zod';
import type { Creative, ParameterValue } from '../../../typings';
import {
  canonicalCreative,
  CREATIVE_METRICS,
  METRICS,
  PARAMETERS,
  PREFETCH_POLICIES,
} from '../../engine/experiments/definition';
import { creative } from './creative-schema';

/** Creatives an ad.creative experiment compares at most (the first is the campaign's own). */
export const MAX_CREATIVE_VARIANTS = 4;

/** Feed positions an ads.slots variant may use (the first few pages). */
export const MAX_SLOT_POSITION = 49;

const name = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,32}$/, '变体名应为 1–32 位字母、数字、下划线或连字符');
const unit = z
  .number({ error: '应为 0–1 之间的数' })
  .min(0, '应为 0–1 之间的数')
  .max(1, '应为 0–1 之间的数');
const slots = z
  .array(
    z
      .number()
      .int('广告位应为整数')
      .min(0, `广告位应为 0–${MAX_SLOT_POSITION}`)
      .max(MAX_SLOT_POSITION, `广告位应为 0–${MAX_SLOT_POSITION}`),
  )
  .max(5, '最多 5 个广告位')
  .refine((xs) => new Set(xs).size === xs.length, '广告位不能重复');

const prefetch = z.enum(PREFETCH_POLICIES, {
  error: `预取策略应为 ${PREFETCH_POLICIES.join('、')} 之一`,
});

const variant = z.strictObject({
  name,
  weight: z.number().int('权重应为正整数').min(1, '权重应为正整数').max(1000, '权重最大 1000'),
  // Checked against the parameter below (a number, a list of positions, or a creative).
  value: z.custom<ParameterValue>((v) => v !== undefined, '缺少变体的取值'),
});

const campaignId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, '广告计划编号应为 1–64 位字母、数字、下划线或连字符');

export const experimentInput = z
  .strictObject({
    name: z.string().trim().min(1, '名称不能为空').max(50, '名称最多 50 字'),
    parameter: z.enum(PARAMETERS, { error: `参数应为 ${PARAMETERS.join('、')} 之一` }),
    campaignId: campaignId.optional(),
    trafficPercent: z
      .number()
      .int('流量比例应为 1–100 的整数')
      .min(1, '流量比例应为 1–100 的整数')
      .max(100, '流量比例应为 1–100 的整数'),
    variants: z
      .array(variant)
      .min(2, '至少两个变体（第一个为对照组）')
      .max(5, '最多 5 个变体')
      .refine((vs) => new Set(vs.map((v) => v.name)).size === vs.length, '变体名不能重复'),
    targetMetric: z.enum(METRICS, { error: `指标应为 ${METRICS.join('、')} 之一` }),
    guardrails: z
      .array(z.enum(METRICS, { error: `指标应为 ${METRICS.join('、')} 之一` }))
      .max(METRICS.length)
      .refine((xs) => new Set(xs).size === xs.length, '护栏指标不能重复'),
  })
  .superRefine((e, ctx) => {
    const isCreative = e.parameter === 'ad.creative';
    if (isCreative && e.campaignId === undefined)
      ctx.addIssue({ code: 'custom', message: '创意实验须选择一个广告计划', path: ['campaignId'] });
    if (!isCreative && e.campaignId !== undefined)
      ctx.addIssue({
        code: 'custom',
        message: '只有创意实验（ad.creative）指定广告计划',
        path: ['campaignId'],
      });
    if (isCreative) {
      if (e.variants.length > MAX_CREATIVE_VARIANTS)
        ctx.addIssue({
          code: 'custom',
          message: `创意实验最多 ${MAX_CREATIVE_VARIANTS} 个创意（第一个为计划当前的创意）`,
          path: ['variants'],
        });
      const allowed: readonly string[] = CREATIVE_METRICS;
      if (!allowed.includes(e.targetMetric))
        ctx.addIssue({
          code: 'custom',
          message: '创意实验的目标指标应为点击率、人均支付金额或人均净收入',
          path: ['targetMetric'],
        });
      if (e.guardrails.some((g) => !allowed.includes(g)))
        ctx.addIssue({
          code: 'custom',
          message: '创意实验的护栏指标只能是点击率、人均支付金额或人均净收入',
          path: ['guardrails'],
        });
    }
    // A value's shape depends on the parameter: a number in [0, 1], a list of ad positions, a creative, or a prefetch policy.
    const check = isCreative
      ? creative
      : e.parameter === 'ads.slots'
        ? slots
        : e.parameter === 'feed.prefetch'
          ? prefetch
          : unit;
    const seen = new Set<string>();
    e.variants.forEach((v, i) => {
      const r = check.safeParse(v.value);
      if (!r.success)
        for (const issue of r.error.issues)
          ctx.addIssue({
            code: 'custom',
            message: issue.message,
            path: ['variants', i, 'value', ...issue.path],
          });
      else if (isCreative) {
        const key = JSON.stringify(canonicalCreative(r.data as Creative));
        if (seen.has(key))
          ctx.addIssue({
            code: 'custom',
            message: '各变体的创意不能相同',
            path: ['variants', i, 'value'],
          });
        seen.add(key);
      }
    });
  })
  // Values as validated (a creative's text trimmed).
  .transform((e) =>
    e.parameter === 'ad.creative'
      ? { ...e, variants: e.variants.map((v) => ({ ...v, value: creative.parse(v.value) })) }
      : e,
  );
