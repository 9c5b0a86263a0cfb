/**
 * Validation of `merchant` requests: one strict shape per action, with the campaign's field
 * types, lengths and formats. Limits that depend on configuration or data (bid range, budget
 * cap, known tags, schedule order) are checked by server/merchant/campaign-rules.ts.
 */
import { z } from 'zod';
import type { MerchantRequest } from '../../../typings';
import { AGE_BANDS, LIKELY_BUYER_SHARES } from '../../engine/ads/targeting';
import { creative } from './creative-schema';
import { experimentInput } from './experiment-schema';

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '应为 1–64 位字母、数字、下划线或连字符');
/** Whole fen; "huge" is anything past 10^12 (10 billion yuan), which no budget needs. */
const fen = z
  .number({ error: '应为整数（分）' })
  .int('应为整数（分）')
  .min(0, '不能为负数')
  .max(1e12, '数值过大');
const time = z
  .number({ error: '应为时间戳（毫秒）' })
  .int('应为时间戳（毫秒）')
  .min(Date.UTC(2020, 0, 1), '时间无效')
  .max(Date.UTC(2100, 0, 1), '时间无效');
/** The campaign revision an editor loaded (optimistic concurrency). */
const revision = z
  .number({ error: '版本号应为非负整数' })
  .int('版本号应为非负整数')
  .min(0, '版本号应为非负整数')
  .max(1e9, '版本号应为非负整数');
const unique = <T extends z.ZodType>(item: T, max: number) =>
  z
    .array(item)
    .max(max, `最多 ${max} 项`)
    .refine((xs) => new Set(xs).size === xs.length, '不能有重复项');

/** A CST calendar day; whether it exists is checked with the range. */
const day = z.string().regex(/^20\d{6}$/, '日期格式应为 YYYYMMDD');

const targeting = z.strictObject({
  interestTags: unique(z.string().trim().min(1).max(32), 30),
  genders: unique(z.enum(['male', 'female']), 2),
  ageBands: unique(
    z.enum(AGE_BANDS, { error: `年龄段应为 ${AGE_BANDS.join('、')} 之一` }),
    AGE_BANDS.length,
  ),
  cities: unique(z.string().trim().min(1).max(32), 100),
  scenes: unique(z.number().int().min(1000).max(9999), 100),
  /** "Likely buyers": the top share by purchase propensity, one of LIKELY_BUYER_SHARES. */
  likelyBuyers: z
    .number()
    .refine((v) => (LIKELY_BUYER_SHARES as readonly number[]).includes(v), {
      message: `应为 ${LIKELY_BUYER_SHARES.join('、')} 之一（购买倾向最高的用户占比）`,
    })
    .optional(),
});

const campaignFields = {
  name: z.string().trim().min(1, '名称不能为空').max(50, '名称最多 50 字'),
  creative,
  targeting,
  bidFen: fen,
  dailyBudgetFen: fen,
  totalBudgetFen: fen,
  startAt: time,
  endAt: time,
  hours: unique(z.number().int().min(0, '小时应为 0–23').max(23, '小时应为 0–23'), 24),
  /** R1–R5 of an advertised financial product (suitability: shown only to users of tolerance ≥ it). */
  riskLevel: z
    .union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)], {
      error: '风险等级应为 1–5（R1–R5）',
    })
    .optional(),
  /** cpc (default) or oCPC with a target cost per pay-verified order; bidFen is then the cap per click. */
  bidding: z
    .discriminatedUnion(
      'mode',
      [
        z.strictObject({ mode: z.literal('cpc') }),
        z.strictObject({
          mode: z.literal('ocpc'),
          targetCpaFen: z
            .number({ error: '目标成本应为整数（分）' })
            .int('目标成本应为整数（分）')
            .min(100, '目标成本至少 100 分（1 元）')
            .max(10_000_000, '目标成本最多 10 万元'),
        }),
      ],
      { error: '出价方式应为 cpc 或 ocpc' },
    )
    .optional(),
};

export const campaignInput = z.strictObject(campaignFields);

/** A campaign's offer: what its landing page sells through WeChat Pay. */
export const offerInput = z.strictObject({
  title: z.string().trim().min(1, '商品名称不能为空').max(40, '商品名称最多 40 字'),
  priceFen: z
    .number({ error: '价格应为整数（分）' })
    .int('价格应为整数（分）')
    .min(1, '价格至少 1 分')
    .max(100_000_000, '单价最多 100 万元'),
  stock: z
    .number({ error: '库存应为整数' })
    .int('库存应为整数')
    .min(0, '库存不能为负数')
    .max(1_000_000, '库存最多 100 万件'),
  perUserLimit: z
    .number({ error: '限购数量应为整数' })
    .int('限购数量应为整数')
    .min(1, '每人至少可买 1 件')
    .max(99, '每人最多限购 99 件'),
});
const campaignPatch = z
  .strictObject(campaignFields)
  .partial()
  .refine((p) => Object.keys(p).length > 0, '至少修改一项');

export const merchantInput = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('me') }),
  z.strictObject({ action: z.literal('merchant.list') }),
  z.strictObject({ action: z.literal('merchant.create'), name: z.string().trim().min(1).max(50) }),
  z.strictObject({
    action: z.literal('invite.create'),
    merchantId: id,
    role: z.enum(['owner', 'staff']),
  }),
  z.strictObject({
    action: z.literal('invite.redeem'),
    // Forgiving about case, spaces and dashes as typed; strict about what remains.
    code: z
      .string()
      .max(64)
      .transform((s) => s.replace(/[\s-]/g, '').toUpperCase())
      .pipe(z.string().regex(/^[2-9A-HJ-KM-NP-Z]{12}$/, '邀请码格式不正确')),
  }),
  z.strictObject({
    action: z.enum(['member.list', 'invite.list', 'merchant.audit']),
    merchantId: id,
  }),
  z.strictObject({
    action: z.literal('member.remove'),
    merchantId: id,
    memberId: z.string().regex(/^[0-9a-f]{20}$/, '成员编号格式不正确'),
  }),
  z.strictObject({
    action: z.literal('invite.revoke'),
    merchantId: id,
    inviteId: z.string().regex(/^[0-9a-f]{24}$/, '邀请编号格式不正确'),
  }),
  z.strictObject({ action: z.literal('image.stage'), ext: z.enum(['jpg', 'png', 'webp']) }),
  z.strictObject({
    action: z.literal('image.publish'),
    fileID: z.string().min(1, '请先上传图片').max(1024, '文件编号过长'),
  }),
  z.strictObject({ action: z.literal('campaign.list') }),
  z.strictObject({ action: z.literal('targeting.options') }),
  z.strictObject({ action: z.literal('perf.report') }),
  z.strictObject({ action: z.literal('campaign.get'), campaignId: id }),
  z.strictObject({ action: z.literal('campaign.create'), campaign: campaignInput }),
  z.strictObject({
    action: z.literal('campaign.update'),
    campaignId: id,
    patch: campaignPatch,
    expectedRevision: revision.optional(),
  }),
  z.strictObject({
    action: z.enum(['campaign.start', 'campaign.pause', 'campaign.resume', 'campaign.end']),
    campaignId: id,
    expectedRevision: revision.optional(),
  }),
  z.strictObject({ action: z.literal('campaign.audit'), campaignId: id }),
  z.strictObject({
    action: z.literal('offer.set'),
    campaignId: id,
    offer: offerInput,
    expectedRevision: revision.optional(),
  }),
  z.strictObject({
    action: z.literal('offer.clear'),
    campaignId: id,
    expectedRevision: revision.optional(),
  }),
  z.strictObject({ action: z.literal('report.daily'), campaignId: id, from: day, to: day }),
  z.strictObject({
    action: z.literal('report.breakdown'),
    campaignId: id,
    from: day,
    to: day,
    by: z.enum(['position', 'segment', 'buyers']),
  }),
  z.strictObject({ action: z.literal('experiment.list') }),
  z.strictObject({ action: z.literal('experiment.create'), experiment: experimentInput }),
  z.strictObject({
    action: z.enum([
      'experiment.get',
      'experiment.start',
      'experiment.stop',
      'experiment.results',
      'experiment.audit',
    ]),
    experimentId: id,
  }),
]);

// Compile-time guard: the schema and the shared contract describe the same requests.
type Parsed = z.infer<typeof merchantInput>;
const _same: [
  Parsed extends MerchantRequest ? true : false,
  MerchantRequest extends Parsed ? true : false,
] = [true, true];
void _same;
