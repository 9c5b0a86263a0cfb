/**
 * Asking the FAQ (智能客服): the question is cleaned, matched against the scope's FAQ by the
 * text engine, and logged without the asker's identity (the ask id it returns is what lets the
 * asker give feedback). A warm instance keeps each scope's index and rebuilds it when the FAQ
 * changes, or at most once a minute to learn from new feedback. For an asker whose feed is
 * personalised (consent recorded, personalisation on), their profile's category interests break
 * ties between near-equal answers of different FAQ categories (faq-index.ts, INTEREST_PRIOR_MAX);
 * nobody else's profile is read, and the interests are not logged with the ask.
 */
import { randomUUID } from 'node:crypto';
import type { SupportAnswer } from '../../typings';
import { notFound } from '../errors';
import { seededProfile } from '../engine/profiles/seed';
import { topInterests } from '../engine/profiles/profile';
import { servingOf } from '../privacy/demographics';
import { servingGate } from '../privacy/gate';
import { PLATFORM_SCOPE, type AskRecord, type Stores } from '../ports';
import type { FunctionContext } from '../runtime/function';
import { perStores } from '../runtime/per-stores';
import { FaqIndex, type CategoryInterest } from './faq-index';
import { ANSWERS_SHOWN, cleanText, CONFIDENT, MAX_QUESTION } from './limits';

/** How long a warm index may miss new feedback; FAQ edits are seen at once. */
export const FEEDBACK_REFRESH_MS = 60_000;
/** Feedback the index learns from: the scope's asks of the last 30 days, at most this many. */
const FEEDBACK_WINDOW_MS = 30 * 24 * 3600_000;
const FEEDBACK_LIMIT = 1000;
/** An ask asked again without a verdict within this time counts as not helped (rephrased). */
export const REPHRASE_WINDOW_MS = 10 * 60_000;

interface Warm {
  fingerprint: string;
  builtAt: number;
  index: FaqIndex;
}

const warmIndexes = perStores(() => new Map<string, Warm>());

async function indexFor(stores: Stores, scope: string, now: number): Promise<FaqIndex> {
  const [entries, platform, dictionary] = await Promise.all([
    stores.faq.list(scope),
    scope === PLATFORM_SCOPE ? Promise.resolve([]) : stores.faq.list(PLATFORM_SCOPE),
    stores.faq.dictionary(scope),
  ]);
  // The dictionary's revision too: a saved word or synonym changes how questions are segmented.
  const fingerprint = [
    `dictionary@${dictionary?.revision ?? 0}`,
    ...[...entries, ...platform].map((e) => `${e.id}@${e.revision}`),
  ].join(',');
  const cache = warmIndexes(stores);
  const warm = cache.get(scope);
  if (warm && warm.fingerprint === fingerprint && now - warm.builtAt < FEEDBACK_REFRESH_MS)
    return warm.index;
  const feedback = await stores.asks.recent(scope, now - FEEDBACK_WINDOW_MS, FEEDBACK_LIMIT);
  const background = platform.flatMap((e) => [e.question, ...e.similar]);
  const index = new FaqIndex(entries, feedback, background, dictionary ?? undefined);
  cache.set(scope, { fingerprint, builtAt: now, index });
  return index;
}

export interface AskInput {
  question: string;
  merchantId?: string;
  context?: string;
  previousAskId?: string;
}

/** Profile interests read for the tie-break (the strongest; categories only). */
const INTERESTS_READ = 20;

/**
 * The caller's content-category interests, strongest 1, when their feed is personalised (the
 * same gate and switch as `recommend`, with the categories they chose at first launch); [] for
 * anyone else, whose profile is not read.
 */
export async function askerInterests(
  ctx: Pick<FunctionContext, 'stores' | 'now' | 'openid' | 'config'>,
): Promise<CategoryInterest[]> {
  const now = ctx.now();
  const { settings, verdict } = await servingGate(ctx.stores, ctx.openid, now, ctx.config);
  if (!verdict.store) return [];
  const { personalised, chosenInterests } = servingOf(settings, now);
  if (!personalised) return [];
  const [stored] = await ctx.stores.profiles.get([ctx.openid]);
  const profile = seededProfile(stored ?? null, ctx.openid, chosenInterests, now);
  if (!profile) return [];
  const cats = topInterests(profile, INTERESTS_READ, now).filter(
    (s) => s.tag.startsWith('cat:') && s.score > 0,
  );
  const top = cats[0]?.score ?? 0;
  return top > 0 ? cats.map((s) => ({ name: s.tag.slice(4), weight: s.score / top })) : [];
}

/** `support` ask for the calling user: their interests (when personalised) as the tie-break. */
export async function askAsCaller(
  ctx: Pick<FunctionContext, 'stores' | 'now' | 'openid' | 'config'>,
  input: AskInput,
): Promise<{ askId: string; answers: SupportAnswer[]; lowConfidence: boolean }> {
  return ask(ctx, input, await askerInterests(ctx));
}

export async function ask(
  ctx: Pick<FunctionContext, 'stores' | 'now'>,
  input: AskInput,
  interests: readonly CategoryInterest[] = [],
): Promise<{ askId: string; answers: SupportAnswer[]; lowConfidence: boolean }> {
  const question = cleanText(input.question, 'question', '问题', MAX_QUESTION);
  const now = ctx.now();
  const { stores } = ctx;
  let scope = PLATFORM_SCOPE;
  if (input.merchantId !== undefined) {
    if (!(await stores.ads.getMerchant(input.merchantId))) throw notFound('没有找到这个商家');
    scope = input.merchantId;
  }
  if (input.previousAskId) {
    // Asking again soon after, without saying whether the answer helped: it did not.
    const prev = await stores.asks.get(input.previousAskId);
    if (prev && prev.scope === scope && !prev.verdict && now - prev.at <= REPHRASE_WINDOW_MS)
      await stores.asks.setVerdict(prev.id, 'rephrased', null);
  }
  const index = await indexFor(stores, scope, now);
  const hits = index.search(question, ANSWERS_SHOWN, interests);
  const answers: SupportAnswer[] = hits.map((h) => ({
    faqId: h.entry.id,
    category: h.entry.category,
    question: h.entry.question,
    answer: h.entry.answer,
    score: Math.round(h.score * 1000) / 1000,
  }));
  const confidence = hits[0]?.score ?? 0;
  const record: AskRecord = {
    id: randomUUID(),
    scope,
    question,
    at: now,
    shown: answers.map((a) => a.faqId),
    confidence,
    lowConfidence: confidence < CONFIDENT,
    context: input.context ?? null,
    verdict: null,
    verdictFaqId: null,
  };
  await stores.asks.add(record);
  return { askId: record.id, answers, lowConfidence: record.lowConfidence };
}
