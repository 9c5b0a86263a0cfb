/**
 * Campaign notices for merchants (订阅消息), run by `train`'s maintenance: an active campaign
 * whose total budget (or today's) is used up, and one ending within a day, tell each of its
 * merchant's members who accepted that topic's notice, once per campaign and event (the send
 * key), within a time budget. Spend is read from the same counters `track` charges.
 */
import { dayBucket } from '../engine/time';
import { ALL, SPEND } from '../engine/ads/counter-keys';
import type { Config } from '../config';
import { allCampaignsByStatus } from '../ports/ads';
import type { Stores } from '../ports';
import type { Logger } from '../runtime/function';
import { cstTime, sendNotice, templateOf, thing, type Notice } from '../content/subscribe-messages';

/** A campaign ending within this much is announced. */
export const ENDING_WITHIN_MS = 24 * 3_600_000;
/** Members told per merchant (owners and staff). */
const MEMBERS_TOLD = 20;

export interface CampaignNoticeResult {
  /** Notices handed to WeChat and accepted. */
  sent: number;
  /** Campaigns looked at before the budget ran out. */
  checked: number;
}

export async function noticeCampaigns(
  deps: { stores: Stores; config: Pick<Config, 'subscribeTemplates'>; log: Logger },
  now: number,
  opts: { budgetMs: number; clock: () => number },
): Promise<CampaignNoticeResult> {
  const { stores, config, log } = deps;
  const out: CampaignNoticeResult = { sent: 0, checked: 0 };
  if (!templateOf(config, 'budget') && !templateOf(config, 'ending')) return out;
  const until = opts.clock() + opts.budgetMs;
  const campaigns = await allCampaignsByStatus(stores.ads, 'active');
  if (campaigns.length === 0) return out;
  const ids = campaigns.map((c) => c.id);
  const day = dayBucket(now);
  const [today, total] = await Promise.all([
    stores.counters.read(SPEND, ids, day),
    stores.counters.read(SPEND, ids, ALL),
  ]);
  for (const c of campaigns) {
    if (opts.clock() >= until) break;
    out.checked++;
    const notices: Omit<Notice, 'openid'>[] = [];
    const page = `merchant/pages/campaign/index?campaignId=${encodeURIComponent(c.id)}`;
    const spentTotal = total[c.id]?.spentFen ?? 0;
    const spentToday = today[c.id]?.spentFen ?? 0;
    // Used up: what is left cannot pay for one more click (a charge never passes the budget, so spend stops short of it).
    const usedUp = (budget: number, spent: number) => budget > 0 && budget - spent < c.bidFen;
    if (usedUp(c.totalBudgetFen, spentTotal))
      notices.push({
        topic: 'budget',
        key: `budget:${c.id}:all`,
        page,
        data: {
          thing1: thing(c.name),
          thing2: '总预算已用完，广告已停止展示',
          time3: cstTime(now),
        },
      });
    else if (usedUp(c.dailyBudgetFen, spentToday))
      notices.push({
        topic: 'budget',
        key: `budget:${c.id}:${day}`,
        page,
        data: {
          thing1: thing(c.name),
          thing2: '今日预算已用完，明日恢复展示',
          time3: cstTime(now),
        },
      });
    if (c.endAt > now && c.endAt - now <= ENDING_WITHIN_MS)
      notices.push({
        topic: 'ending',
        key: `ending:${c.id}:${c.endAt}`,
        page,
        data: {
          thing1: thing(c.name),
          time2: cstTime(c.endAt),
          thing3: '如需继续投放请延长结束时间',
        },
      });
    if (notices.length === 0) continue;
    const members = await stores.merchants.listMembers(c.merchantId, MEMBERS_TOLD);
    for (const n of notices)
      for (const m of members) {
        if (opts.clock() >= until) return out;
        try {
          if ((await sendNotice(stores, config, log, { ...n, openid: m.openid }, now)) === 'sent')
            out.sent++;
        } catch (err) {
          log.error('campaign notice failed', {
            topic: n.topic,
            error: err instanceof Error ? err.message : String(err),
          });
        }
      }
  }
  return out;
}
