/**
 * Sanity of a stored campaign before it enters an auction: a corrupted creative, bid, budget or
 * schedule excludes the campaign (the caller logs it) instead of failing the whole feed.
 */
import { z } from 'zod';
import type { Campaign } from '../../../typings';

const fen = z.number().int().min(0).max(1e12);
const text = z.string().max(500);

const campaignShape = z.object({
  id: z.string().min(1).max(128),
  merchantId: z.string().min(1).max(128),
  status: z.enum(['draft', 'active', 'paused', 'ended']),
  creative: z.object({
    title: text.trim().min(1),
    description: text,
    image: z.string().max(2048),
    landing: z.union([
      z.object({ kind: z.literal('page'), path: z.string().min(1).max(512) }),
      z.object({ kind: z.literal('item'), itemId: z.string().min(1).max(128) }),
    ]),
  }),
  targeting: z.object({
    interestTags: z.array(z.string().max(64)).max(100),
    genders: z.array(z.enum(['male', 'female'])).max(2),
    ageBands: z.array(z.string().max(16)).max(20),
    cities: z.array(z.string().max(64)).max(500),
    scenes: z.array(z.number().int()).max(500),
    likelyBuyers: z.number().gt(0).max(1).optional(),
  }),
  bidFen: fen.min(1),
  bidding: z
    .union([
      z.object({ mode: z.literal('cpc') }),
      z.object({ mode: z.literal('ocpc'), targetCpaFen: fen.min(1) }),
    ])
    .optional(),
  dailyBudgetFen: fen,
  totalBudgetFen: fen,
  startAt: z.number().finite(),
  endAt: z.number().finite(),
  hours: z.array(z.number().int().min(0).max(23)).max(24),
});

export type CampaignCheck =
  { ok: true; campaign: Campaign } | { ok: false; id: string; reason: string };

/** Checks one stored campaign (of unknown shape: storage may hold anything). */
export function checkCampaign(raw: unknown): CampaignCheck {
  const parsed = campaignShape.safeParse(raw);
  const id =
    typeof (raw as { id?: unknown } | null)?.id === 'string'
      ? (raw as { id: string }).id
      : '(no id)';
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, id, reason: `${issue.path.join('.') || 'campaign'}: ${issue.message}` };
  }
  if (parsed.data.endAt < parsed.data.startAt)
    return { ok: false, id, reason: 'endAt before startAt' };
  return { ok: true, campaign: raw as Campaign };
}
