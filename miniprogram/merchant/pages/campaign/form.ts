/**
 * The campaign editor's form: what the page edits (text as typed, money in yuan, dates as the
 * picker gives them), its conversion to the contract's CampaignInput (fen, CST epoch ms), and the
 * per-field checks that mirror the server's (server/functions/merchant/schema.ts and
 * server/merchant/campaign-rules.ts) so most mistakes are named before a round trip. The server
 * still decides: its INVALID_INPUT message is mapped back onto the same fields.
 */
import type { AgeBand, Campaign, CampaignInput, Creative } from '../../../../typings';
import { AGE_BANDS } from '../../../services/audience';
import { fenFromYuan, msFromPickerDate, pickerDate, yuan } from '../../../services/format';

/** The platform's default limits (AD_BID_MIN_FEN, AD_BID_MAX_FEN, AD_BUDGET_MAX_FEN); a server configured otherwise answers with its own. */
export const BID_MIN_FEN = 5;
export const BID_MAX_FEN = 10_000;
export const BUDGET_MAX_FEN = 100_000_000;
const DAY_MS = 86_400_000;
/** Longest schedule, as the server allows: 366 days. */
const MAX_SPAN_MS = 366 * DAY_MS;
/** oCPC targets per order the server accepts (schema.ts): ¥1 to ¥100,000. */
export const TARGET_MIN_FEN = 100;
export const TARGET_MAX_FEN = 10_000_000;

export { AGE_BANDS };
export const GENDERS = [
  { value: 'male', label: '男' },
  { value: 'female', label: '女' },
] as const;
/** Common WeChat launch scenes an ad may be limited to. */
export const SCENES = [
  { value: 1001, label: '发现页入口' },
  { value: 1089, label: '下拉最近使用' },
  { value: 1007, label: '单聊分享卡片' },
  { value: 1008, label: '群聊分享卡片' },
  { value: 1011, label: '扫二维码' },
  { value: 1047, label: '扫小程序码' },
  { value: 1005, label: '搜索结果' },
  { value: 1035, label: '公众号菜单' },
];

/** "Likely buyers": the top share of users by purchase propensity (0: everyone); the server's LIKELY_BUYER_SHARES. */
export const LIKELY_BUYERS = [
  { value: 0, label: '不限' },
  { value: 0.1, label: '前 10%' },
  { value: 0.2, label: '前 20%' },
  { value: 0.3, label: '前 30%' },
  { value: 0.5, label: '前 50%' },
];

export interface CampaignForm {
  name: string;
  title: string;
  description: string;
  image: string;
  landingKind: 'page' | 'item';
  landingPath: string;
  landingItemId: string;
  interestTags: string[];
  genders: string[];
  ageBands: string[];
  /** Cities as typed, separated by spaces or commas. */
  citiesText: string;
  scenes: number[];
  /** Likely buyers' top share; 0: not restricted. */
  likelyBuyers: number;
  bidYuan: string;
  /** 按点击出价 (cpc) or 按转化出价 (oCPC: a target per order; the bid is then the cap per click). */
  biddingMode: 'cpc' | 'ocpc';
  targetYuan: string;
  dailyYuan: string;
  totalYuan: string;
  /** "YYYY-MM-DD" (CST): the first day served and the last, inclusive. */
  startDate: string;
  endDate: string;
  /** CST hours served; empty = all day. */
  hours: number[];
}

/** Form fields an error can be shown under; server paths map onto these. */
export const FIELDS = [
  'name',
  'creative_title',
  'creative_description',
  'creative_image',
  'creative_landing',
  'targeting_interestTags',
  'targeting_genders',
  'targeting_ageBands',
  'targeting_cities',
  'targeting_scenes',
  'targeting_likelyBuyers',
  'bidFen',
  'bidding',
  'bidding_targetCpaFen',
  'dailyBudgetFen',
  'totalBudgetFen',
  'startAt',
  'endAt',
  'hours',
] as const;
export type Field = (typeof FIELDS)[number];
export type FieldErrors = Partial<Record<Field, string>>;

/** A new campaign's starting values: today for 30 days, modest bid and budgets. */
export function blankForm(now: number): CampaignForm {
  return {
    name: '',
    title: '',
    description: '',
    image: '',
    landingKind: 'page',
    landingPath: '',
    landingItemId: '',
    interestTags: [],
    genders: [],
    ageBands: [],
    citiesText: '',
    scenes: [],
    likelyBuyers: 0,
    bidYuan: '0.50',
    biddingMode: 'cpc',
    targetYuan: '50.00',
    dailyYuan: '100.00',
    totalYuan: '1000.00',
    startDate: pickerDate(now),
    endDate: pickerDate(now + 29 * DAY_MS),
    hours: [],
  };
}

/** "1234" fen → "12.34": what a stepper shows. */
export const yuanText = (fen: number): string => (fen / 100).toFixed(2);

export function formOf(c: Campaign | CampaignInput): CampaignForm {
  const landing = c.creative.landing;
  return {
    name: c.name,
    title: c.creative.title,
    description: c.creative.description,
    image: c.creative.image,
    landingKind: landing.kind,
    landingPath: landing.kind === 'page' ? landing.path : '',
    landingItemId: landing.kind === 'item' ? landing.itemId : '',
    interestTags: [...c.targeting.interestTags],
    genders: [...c.targeting.genders],
    ageBands: [...c.targeting.ageBands],
    citiesText: c.targeting.cities.join(' '),
    scenes: [...c.targeting.scenes],
    likelyBuyers: c.targeting.likelyBuyers ?? 0,
    bidYuan: yuanText(c.bidFen),
    biddingMode: c.bidding?.mode === 'ocpc' ? 'ocpc' : 'cpc',
    targetYuan: yuanText(c.bidding?.mode === 'ocpc' ? c.bidding.targetCpaFen : 5000),
    dailyYuan: yuanText(c.dailyBudgetFen),
    totalYuan: yuanText(c.totalBudgetFen),
    startDate: pickerDate(c.startAt),
    // endAt is exclusive (the next day's CST midnight): the picker shows the last day served.
    endDate: pickerDate(c.endAt - 1),
    hours: [...c.hours].sort((a, b) => a - b),
  };
}

export function citiesOf(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,，、]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

const PAGE_PATH = /^(?:[a-z0-9_-]+\/)*[a-z0-9_-]+(?:\?[\w=&%.-]*)?$/i;

/** The creative part of the form: also what a creative A/B test's variants are edited as (experiment-new). */
export type CreativeFields = Pick<
  CampaignForm,
  'title' | 'description' | 'image' | 'landingKind' | 'landingPath' | 'landingItemId'
>;
export type CreativeErrors = Partial<
  Record<'creative_title' | 'creative_description' | 'creative_image' | 'creative_landing', string>
>;

export function creativeFieldsOf(c: Creative): CreativeFields {
  return {
    title: c.title,
    description: c.description,
    image: c.image,
    landingKind: c.landing.kind,
    landingPath: c.landing.kind === 'page' ? c.landing.path : '',
    landingItemId: c.landing.kind === 'item' ? c.landing.itemId : '',
  };
}

/** The creative's checks (title, description, landing; the image comes from the uploader) and the creative it makes. */
export function checkCreative(f: CreativeFields): { creative: Creative; errors: CreativeErrors } {
  const errors: CreativeErrors = {};
  const title = f.title.trim();
  if (!title) errors.creative_title = '标题不能为空';
  else if (title.length > 30) errors.creative_title = '标题最多 30 字';
  const description = f.description.trim();
  if (description.length > 80) errors.creative_description = '描述最多 80 字';
  const path = f.landingPath.trim();
  const itemId = f.landingItemId.trim();
  if (f.landingKind === 'page' && (!PAGE_PATH.test(path) || path.length > 256))
    errors.creative_landing = '应为小程序页面路径，如 pages/feed/index';
  if (f.landingKind === 'item' && (!itemId || itemId.length > 128))
    errors.creative_landing = '请填写落地内容的 ID';
  const landing: Creative['landing'] =
    f.landingKind === 'page' ? { kind: 'page', path } : { kind: 'item', itemId };
  return { creative: { title, description, image: f.image, landing }, errors };
}

/**
 * Checks the form and builds the input. `original` (editing) relaxes "ends in the future" to
 * schedules that changed, as the server does.
 */
export function validate(
  form: CampaignForm,
  now: number,
  original?: CampaignInput,
): { input: CampaignInput | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const name = form.name.trim();
  if (!name) errors.name = '名称不能为空';
  else if (name.length > 50) errors.name = '名称最多 50 字';
  Object.assign(errors, checkCreative(form).errors);

  const cities = citiesOf(form.citiesText);
  if (cities.length > 100) errors.targeting_cities = '最多 100 项';
  else if (cities.some((c) => c.length > 32)) errors.targeting_cities = '城市名最多 32 字';
  if (form.interestTags.length > 30) errors.targeting_interestTags = '最多 30 项';

  const bid = fenFromYuan(form.bidYuan);
  const daily = fenFromYuan(form.dailyYuan);
  const total = fenFromYuan(form.totalYuan);
  const money = '请输入金额（元，最多两位小数）';
  if (bid === null) errors.bidFen = money;
  else if (bid < BID_MIN_FEN || bid > BID_MAX_FEN)
    errors.bidFen = `出价须在 ${yuan(BID_MIN_FEN)} 到 ${yuan(BID_MAX_FEN)} 之间`;
  if (form.biddingMode === 'ocpc') {
    const target = fenFromYuan(form.targetYuan);
    if (target === null) errors.bidding_targetCpaFen = money;
    else if (target < TARGET_MIN_FEN || target > TARGET_MAX_FEN)
      errors.bidding_targetCpaFen = `目标成本须在 ${yuan(TARGET_MIN_FEN)} 到 ${yuan(TARGET_MAX_FEN)} 之间`;
  }
  if (daily === null) errors.dailyBudgetFen = money;
  else if (bid !== null && daily < bid) errors.dailyBudgetFen = '日预算不能低于单次点击出价';
  else if (daily > BUDGET_MAX_FEN) errors.dailyBudgetFen = `日预算不能超过 ${yuan(BUDGET_MAX_FEN)}`;
  if (total === null) errors.totalBudgetFen = money;
  else if (daily !== null && total < daily) errors.totalBudgetFen = '总预算不能低于日预算';
  else if (total > BUDGET_MAX_FEN) errors.totalBudgetFen = `总预算不能超过 ${yuan(BUDGET_MAX_FEN)}`;

  const startAt = msFromPickerDate(form.startDate);
  const lastDay = msFromPickerDate(form.endDate);
  const endAt = lastDay === null ? null : lastDay + DAY_MS;
  if (startAt === null) errors.startAt = '请选择开始日期';
  if (endAt === null) errors.endAt = '请选择结束日期';
  if (startAt !== null && endAt !== null) {
    const changed = !original || original.startAt !== startAt || original.endAt !== endAt;
    if (endAt <= startAt) errors.endAt = '结束日期不能早于开始日期';
    else if (endAt - startAt > MAX_SPAN_MS) errors.endAt = '投放周期不能超过一年';
    else if (changed && endAt <= now) errors.endAt = '结束日期必须在将来';
  }
  if (form.hours.some((h) => !Number.isInteger(h) || h < 0 || h > 23))
    errors.hours = '小时应为 0–23';

  if (Object.keys(errors).length > 0) return { input: null, errors };
  return { input: toInput(form), errors };
}

/**
 * The form as the contract's input (fen, CST epoch ms; the end date is inclusive, so endAt is the
 * next day's CST midnight); null only when an amount or a date does not parse.
 */
export function toInput(form: CampaignForm): CampaignInput | null {
  const bidFen = fenFromYuan(form.bidYuan);
  const dailyBudgetFen = fenFromYuan(form.dailyYuan);
  const totalBudgetFen = fenFromYuan(form.totalYuan);
  const startAt = msFromPickerDate(form.startDate);
  const lastDay = msFromPickerDate(form.endDate);
  const targetCpaFen = form.biddingMode === 'ocpc' ? fenFromYuan(form.targetYuan) : 0;
  if (
    targetCpaFen === null ||
    bidFen === null ||
    dailyBudgetFen === null ||
    totalBudgetFen === null ||
    startAt === null ||
    lastDay === null
  )
    return null;
  const path = form.landingPath.trim();
  const itemId = form.landingItemId.trim();
  return {
    name: form.name.trim(),
    creative: {
      title: form.title.trim(),
      description: form.description.trim(),
      image: form.image,
      landing: form.landingKind === 'page' ? { kind: 'page', path } : { kind: 'item', itemId },
    },
    targeting: {
      interestTags: [...form.interestTags],
      genders: form.genders.filter((g): g is 'male' | 'female' => g === 'male' || g === 'female'),
      ageBands: form.ageBands.filter((b): b is AgeBand =>
        (AGE_BANDS as readonly string[]).includes(b),
      ),
      cities: citiesOf(form.citiesText),
      scenes: [...form.scenes],
      ...(form.likelyBuyers > 0 ? { likelyBuyers: form.likelyBuyers } : {}),
    },
    bidFen,
    // CPC is the default: left out, so a campaign stored without a bidding round-trips unchanged.
    ...(form.biddingMode === 'ocpc' ? { bidding: { mode: 'ocpc' as const, targetCpaFen } } : {}),
    dailyBudgetFen,
    totalBudgetFen,
    startAt,
    endAt: lastDay + DAY_MS,
    hours: [...form.hours].sort((a, b) => a - b),
  };
}

/** The fields of `next` that differ from `before` (what campaign.update sends). */
export function patchOf(before: CampaignInput, next: CampaignInput): Partial<CampaignInput> {
  const patch: Partial<Record<keyof CampaignInput, unknown>> = {};
  for (const k of Object.keys(next) as (keyof CampaignInput)[]) {
    if (JSON.stringify(before[k]) !== JSON.stringify(next[k])) patch[k] = next[k];
  }
  // Back from oCPC to CPC: toInput leaves cpc out, the server needs it said.
  if (before.bidding?.mode === 'ocpc' && !next.bidding) patch.bidding = { mode: 'cpc' };
  return patch as Partial<CampaignInput>;
}

/** A server path ("campaign.creative.title", "patch.hours.1", "bidFen") → the form field it belongs to. */
export function fieldOf(path: string): Field | null {
  const parts = path.split('.').filter((p) => !/^\d+$/.test(p));
  if (parts[0] === 'campaign' || parts[0] === 'patch') parts.shift();
  const key =
    parts[0] === 'creative' && parts[1] === 'landing'
      ? 'creative_landing'
      : parts.slice(0, 2).join('_');
  return (FIELDS as readonly string[]).includes(key) ? (key as Field) : null;
}

/**
 * The server's INVALID_INPUT message ("请求参数有误：bidFen: 出价须在…; campaign.creative.title: 标题最多 30 字")
 * split onto fields (`fieldFor` names a path's field: the campaign form's by default, another
 * form's for its own paths); what names no field stays in `rest` to be shown above the form.
 */
export function serverFieldErrors<F extends string = Field>(
  message: string,
  fieldFor: (path: string) => F | null = fieldOf as (path: string) => F | null,
): { errors: Partial<Record<F, string>>; rest: string[] } {
  const errors: Partial<Record<F, string>> = {};
  const rest: string[] = [];
  const body = message.replace(/^[^：]*：/, '');
  for (const part of body.split('; ')) {
    const m = /^([A-Za-z0-9_.]+): (.+)$/.exec(part.trim());
    const field = m ? fieldFor(m[1]) : null;
    if (m && field) errors[field] ??= m[2];
    else if (part.trim()) rest.push(part.trim());
  }
  return { errors, rest };
}
