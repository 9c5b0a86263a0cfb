/**
 * The create-experiment form as plain data and its check, pure: what the owner typed becomes an
 * ExperimentInput, or per-field messages in Chinese. Mirrors the server's rules
 * (server/functions/merchant/experiment-schema.ts) so most mistakes are caught before sending;
 * the server stays the judge.
 *
 * A creative A/B test (ad.creative) names one of the merchant's campaigns; its variants are
 * creatives, checked as the campaign editor checks them (campaign/form.ts checkCreative), the
 * first being the campaign's current creative (read-only), 2–4 in all; its metric is CTR.
 */
import type {
  Creative,
  ExperimentInput,
  ExperimentMetric,
  ExperimentParameter,
  PrefetchPolicy,
} from '../../../../typings';
import { checkCreative, creativeFieldsOf, type CreativeFields } from '../campaign/form';
import { CREATIVE_METRICS } from '../../experiment-labels';

export const MAX_VARIANTS = 5;
export const MAX_CREATIVE_VARIANTS = 4;
/** Ad positions an ads.slots variant may use, 0-based on the server, shown 1-based (the card people count). */
const MAX_SLOT = 49;

export interface VariantForm {
  name: string;
  weight: number;
  /** "0.3" for feed.diversity / feed.explore; "4, 11" (feed cards, 1-based) for ads.slots. */
  value: string;
  /** ad.creative: the variant's creative as edited (the control's is the campaign's); unused otherwise. */
  creative?: CreativeFields;
}

export const blankCreative = (): CreativeFields => ({
  title: '',
  description: '',
  image: '',
  landingKind: 'page',
  landingPath: '',
  landingItemId: '',
});

export interface ExperimentForm {
  name: string;
  parameter: ExperimentParameter;
  /** ad.creative: the campaign tested ('' until picked). */
  campaignId: string;
  trafficPercent: number;
  targetMetric: ExperimentMetric;
  guardrails: ExperimentMetric[];
  variants: VariantForm[];
}

export function emptyForm(): ExperimentForm {
  return {
    name: '',
    parameter: 'feed.diversity',
    campaignId: '',
    trafficPercent: 10,
    targetMetric: 'ctr',
    guardrails: [],
    variants: [
      { name: 'control', weight: 1, value: '', creative: blankCreative() },
      { name: 'treatment', weight: 1, value: '', creative: blankCreative() },
    ],
  };
}

/** The form with `campaign` picked for a creative test: its current creative becomes the control. */
export function withCampaign(
  f: ExperimentForm,
  campaign: { id: string; creative: Creative },
): ExperimentForm {
  return {
    ...f,
    campaignId: campaign.id,
    variants: f.variants.map((v, i) =>
      i === 0 ? { ...v, creative: creativeFieldsOf(campaign.creative) } : v,
    ),
  };
}

/**
 * Field errors keyed "name", "trafficPercent", "campaignId", "variants", "variant_<i>_name", "variant_<i>_value",
 * "variant_<i>_weight", and for creatives "variant_<i>_creative_title" (…_description, …_image, …_landing).
 */
export type FormErrors = Record<string, string>;

/**
 * A server path of a creative variant ("experiment.variants.2.value.landing", "….image") → its
 * form field ("variant_2_creative_landing"), so a refusal (an unpublished image, a landing outside
 * the deployment's scene) shows under the variant it names; null for any other path.
 */
export function variantFieldOf(path: string): string | null {
  const m = /^experiment\.variants\.(\d+)\.value\.(title|description|image|landing)(\.|$)/.exec(
    path,
  );
  return m ? `variant_${m[1]}_creative_${m[2]}` : null;
}

/** The variant's value, or a message (in an `error` wrapper, since a prefetch policy is text too). */
function parseValue(
  parameter: ExperimentParameter,
  text: string,
): { value: number | number[] | PrefetchPolicy } | { error: string } {
  const r = parseRaw(parameter, text);
  return typeof r === 'string' && !(parameter === 'feed.prefetch' && isPolicy(r))
    ? { error: r }
    : { value: r as number | number[] | PrefetchPolicy };
}

const POLICIES: readonly PrefetchPolicy[] = ['off', 'position', 'learned'];
const isPolicy = (t: string): t is PrefetchPolicy => (POLICIES as readonly string[]).includes(t);

function parseRaw(parameter: ExperimentParameter, text: string): number | number[] | string {
  const t = text.trim();
  if (parameter === 'feed.prefetch') return isPolicy(t) ? t : '应为 off、position 或 learned 之一';
  if (parameter === 'ads.slots') {
    if (t === '') return [];
    const parts = t.split(/[,，、\s]+/).filter(Boolean);
    if (!parts.every((p) => /^\d+$/.test(p))) return '请填写信息流位置，如 4, 11';
    const cards = parts.map(Number);
    if (cards.some((c) => c < 1 || c > MAX_SLOT + 1)) return `位置应为 1–${MAX_SLOT + 1}`;
    if (new Set(cards).size !== cards.length) return '位置不能重复';
    if (cards.length > 5) return '最多 5 个广告位';
    return cards.map((c) => c - 1);
  }
  if (!/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/.test(t)) return '应为 0–1 之间的数，如 0.3';
  return Number(t);
}

/** The experiment's name (trimmed) and traffic share, as both kinds of form check them. */
function checkNameAndTraffic(f: ExperimentForm, errors: FormErrors): string {
  const name = f.name.trim();
  if (!name) errors.name = '名称不能为空';
  else if (name.length > 50) errors.name = '名称最多 50 字';
  if (!Number.isInteger(f.trafficPercent) || f.trafficPercent < 1 || f.trafficPercent > 100)
    errors.trafficPercent = '流量比例应为 1–100 的整数';
  return name;
}

/** Variant i's name (trimmed, unique among `seen`, which it joins) and weight; returns the name. */
function checkVariantNameAndWeight(
  v: ExperimentForm['variants'][number],
  i: number,
  seen: Set<string>,
  errors: FormErrors,
): string {
  const vName = v.name.trim();
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(vName))
    errors[`variant_${i}_name`] = '变体名应为 1–32 位字母、数字、下划线或连字符';
  else if (seen.has(vName)) errors[`variant_${i}_name`] = '变体名不能重复';
  seen.add(vName);
  if (!Number.isInteger(v.weight) || v.weight < 1 || v.weight > 1000)
    errors[`variant_${i}_weight`] = '权重应为 1–1000 的整数';
  return vName;
}

export function checkForm(f: ExperimentForm): { input: ExperimentInput } | { errors: FormErrors } {
  if (f.parameter === 'ad.creative') return checkCreativeForm(f);
  const errors: FormErrors = {};
  const name = checkNameAndTraffic(f, errors);
  if (f.variants.length < 2) errors.variants = '至少两个变体（第一个为对照组）';
  if (f.variants.length > MAX_VARIANTS) errors.variants = `最多 ${MAX_VARIANTS} 个变体`;

  const seen = new Set<string>();
  const variants = f.variants.map((v, i) => {
    const vName = checkVariantNameAndWeight(v, i, seen, errors);
    const parsed = parseValue(f.parameter, v.value);
    if ('error' in parsed) errors[`variant_${i}_value`] = parsed.error;
    return { name: vName, weight: v.weight, value: 'error' in parsed ? 0 : parsed.value };
  });

  if (Object.keys(errors).length) return { errors };
  return {
    input: {
      name,
      parameter: f.parameter,
      trafficPercent: f.trafficPercent,
      variants,
      targetMetric: f.targetMetric,
      guardrails: f.guardrails.filter((g) => g !== f.targetMetric),
    },
  };
}

function checkCreativeForm(f: ExperimentForm): { input: ExperimentInput } | { errors: FormErrors } {
  const errors: FormErrors = {};
  const name = checkNameAndTraffic(f, errors);
  if (!f.campaignId) errors.campaignId = '请选择要测试创意的广告计划';
  if (f.variants.length < 2) errors.variants = '至少两个创意（第一个为计划当前的创意）';
  if (f.variants.length > MAX_CREATIVE_VARIANTS)
    errors.variants = `最多 ${MAX_CREATIVE_VARIANTS} 个创意`;
  const names = new Set<string>();
  const creatives = new Set<string>();
  const variants = f.variants.map((v, i) => {
    const vName = checkVariantNameAndWeight(v, i, names, errors);
    const { creative, errors: ce } = checkCreative(v.creative ?? blankCreative());
    for (const [k, m] of Object.entries(ce)) errors[`variant_${i}_${k}`] = m;
    const key = JSON.stringify(creative);
    if (Object.keys(ce).length === 0 && creatives.has(key))
      errors[`variant_${i}_creative_title`] = '和前面的创意完全相同，请至少改动一项';
    creatives.add(key);
    return { name: vName, weight: v.weight, value: creative };
  });
  if (Object.keys(errors).length) return { errors };
  return {
    input: {
      name,
      parameter: 'ad.creative',
      campaignId: f.campaignId,
      trafficPercent: f.trafficPercent,
      variants,
      // The chips offer only CREATIVE_METRICS; a form from before keeps CTR and no guardrails.
      targetMetric: CREATIVE_METRICS.includes(f.targetMetric) ? f.targetMetric : 'ctr',
      guardrails: f.guardrails.filter((g) => g !== f.targetMetric && CREATIVE_METRICS.includes(g)),
    },
  };
}
