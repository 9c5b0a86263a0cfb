/** Validation of `account` requests: one strict shape per action. */
import { z } from 'zod';
import type { AccountRequest } from '../../../typings';
import { AGE_BANDS } from '../../engine/ads/targeting';
import { MAX_CHOSEN_INTERESTS } from '../../engine/profiles/seed';

/** A city name as people write it (letters, marks, spaces, middle dots, hyphens): 成都, 乌鲁木齐, Hong Kong. */
const city = z
  .string()
  .trim()
  .regex(/^[\p{L}\p{M}][\p{L}\p{M} ·'-]{0,31}$/u, '城市应为 1–32 个字的城市名，如 成都');

/** An answer in wx.requestSubscribeMessage's result. */
const choice = z.enum(['accept', 'reject', 'ban', 'filter'], {
  error: '订阅结果应为 accept、reject、ban 或 filter',
});

export const accountInput = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('consent.set'),
    noticeVersion: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,32}$/, 'must be a notice version like 2026-11 or v3'),
    granted: z.boolean(),
    keepHistory: z.boolean().optional(),
  }),
  z.strictObject({ action: z.literal('consent.get') }),
  z.strictObject({ action: z.literal('personalization.set'), enabled: z.boolean() }),
  z.strictObject({ action: z.literal('profile.get') }),
  z
    .strictObject({
      action: z.literal('demographics.set'),
      gender: z.enum(['male', 'female'], { error: '性别应为 male 或 female' }).optional(),
      ageBand: z.enum(AGE_BANDS, { error: `年龄段应为 ${AGE_BANDS.join('、')} 之一` }).optional(),
      city: city.optional(),
    })
    .refine(
      (d) => d.gender !== undefined || d.ageBand !== undefined || d.city !== undefined,
      '至少分享一项；撤回全部请用 demographics.clear',
    ),
  z.strictObject({ action: z.literal('demographics.clear') }),
  z.strictObject({ action: z.literal('demographics.get') }),
  z.strictObject({
    action: z.literal('export.page'),
    cursor: z.string().min(1).max(800).optional(),
  }),
  z.strictObject({ action: z.literal('risk.questionnaire') }),
  z.strictObject({
    action: z.literal('risk.assess'),
    version: z.string().regex(/^[A-Za-z0-9._-]{1,32}$/, '问卷版本无效，请重新打开风险测评'),
    // Range per question is checked against the questionnaire (server/privacy/risk.ts).
    answers: z
      .array(z.number().int('选项应为整数').min(0, '选项无效').max(9, '选项无效'))
      .min(1, '请回答问卷')
      .max(20, '答案过多'),
  }),
  z.strictObject({ action: z.literal('risk.get') }),
  z.strictObject({ action: z.literal('risk.clear') }),
  z.strictObject({
    action: z.literal('interests.set'),
    categories: z
      .array(
        z
          .string()
          .trim()
          .regex(/^[\p{L}\p{N}][\p{L}\p{N}·&-]{0,15}$/u, '分类应为 1–16 个字，如 美食'),
      )
      .max(MAX_CHOSEN_INTERESTS, `最多选择 ${MAX_CHOSEN_INTERESTS} 个分类`)
      .refine((cs) => new Set(cs).size === cs.length, '分类不能重复'),
  }),
  z.strictObject({ action: z.literal('interests.get') }),
  z.strictObject({ action: z.literal('subscribe.get') }),
  z.strictObject({
    action: z.literal('subscribe.record'),
    choices: z
      .strictObject({
        reply: choice.optional(),
        budget: choice.optional(),
        ending: choice.optional(),
      })
      .refine((c) => Object.keys(c).length > 0, '请至少回答一项订阅'),
  }),
  z.strictObject({ action: z.literal('erase.start') }),
  z.strictObject({ action: z.literal('erase.status') }),
]);

// Compile-time guard: the schema and the shared contract describe the same requests.
type Parsed = z.infer<typeof accountInput>;
const _same: [
  Parsed extends AccountRequest ? true : false,
  AccountRequest extends Parsed ? true : false,
] = [true, true];
void _same;
