/** Validation of an experiment definition: names, weights, and each variant's value checked against its parameter. */
import { z } from 'zod';
import { METRICS, PARAMETERS } from '../../engine/experiments/definition';

/** Feed positions an ads.slots variant may use (the first few pages). */
export const MAX_SLOT_POSITION = 49;

const name = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, '变体名应为 1–32 位字母、数字、下划线或连字符');
const unit = z.number({ error: '应为 0–1 之间的数' }).min(0, '应为 0–1 之间的数').max(1, '应为 0–1 之间的数');
const slots = z
  .array(z.number().int('广告位应为整数').min(0, `广告位应为 0–${MAX_SLOT_POSITION}`).max(MAX_SLOT_POSITION, `广告位应为 0–${MAX_SLOT_POSITION}`))
  .max(5, '最多 5 个广告位')
  .refine((xs) => new Set(xs).size === xs.length, '广告位不能重复');

const variant = z.strictObject({
  name,
  weight: z.number().int('权重应为正整数').min(1, '权重应为正整数').max(1000, '权重最大 1000'),
  value: z.union([z.number(), z.array(z.number())]),
});

export const experimentInput = z
  .strictObject({
    name: z.string().trim().min(1, '名称不能为空').max(50, '名称最多 50 字'),
    parameter: z.enum(PARAMETERS, { error: `参数应为 ${PARAMETERS.join('、')} 之一` }),
    trafficPercent: z.number().int('流量比例应为 1–100 的整数').min(1, '流量比例应为 1–100 的整数').max(100, '流量比例应为 1–100 的整数'),
    variants: z.array(variant).min(2, '至少两个变体（第一个为对照组）').max(5, '最多 5 个变体').refine((vs) => new Set(vs.map((v) => v.name)).size === vs.length, '变体名不能重复'),
    targetMetric: z.enum(METRICS, { error: `指标应为 ${METRICS.join('、')} 之一` }),
    guardrails: z.array(z.enum(METRICS, { error: `指标应为 ${METRICS.join('、')} 之一` })).max(METRICS.length).refine((xs) => new Set(xs).size === xs.length, '护栏指标不能重复'),
  })
  .superRefine((e, ctx) => {
    // A value's shape depends on the parameter: a number in [0, 1], or a list of ad positions.
    const check = e.parameter === 'ads.slots' ? slots : unit;
    e.variants.forEach((v, i) => {
      const r = check.safeParse(v.value);
      if (!r.success) for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: ['variants', i, 'value', ...issue.path] });
    });
  });
