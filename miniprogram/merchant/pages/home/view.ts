/** What the merchant home shows for each campaign, from `campaign.list`: pure, so the page only calls setData. */
import type { CampaignStatus, CampaignSummary, MerchantRole } from '../../../../typings';
import { count, yuan } from '../../../services/format';

export type Transition = 'start' | 'pause' | 'resume' | 'end';

export const STATUS_TEXT: Record<CampaignStatus, string> = {
  draft: '草稿',
  active: '投放中',
  paused: '已暂停',
  ended: '已结束',
};
const STATUS_TAG: Record<CampaignStatus, string> = {
  draft: 'default',
  active: 'success',
  paused: 'warning',
  ended: 'danger',
};
export const TRANSITION_TEXT: Record<Transition, string> = {
  start: '开始投放',
  pause: '暂停',
  resume: '恢复投放',
  end: '结束',
};

/** The server's lifecycle rules (server/merchant/campaigns.ts): which change each role may make from each status. */
const ALLOWED: Record<MerchantRole, Record<CampaignStatus, Transition[]>> = {
  owner: {
    draft: ['start', 'end'],
    active: ['pause', 'end'],
    paused: ['resume', 'end'],
    ended: [],
  },
  staff: { draft: [], active: ['pause'], paused: [], ended: [] },
};

export interface ActionView {
  action: Transition;
  label: string;
  /** van-button type: ending is the one destructive action. */
  type: 'primary' | 'danger' | 'default';
}

export interface CampaignView {
  id: string;
  name: string;
  statusText: string;
  tagType: string;
  todaySpend: string;
  dailyBudget: string;
  /** Today's spend as a share of the daily budget, 0–100 (a bar width). */
  spendPercent: number;
  todayClicks: string;
  bid: string;
  totalSpend: string;
  totalBudget: string;
  /** Why the deployment's scene never serves it, and what to change ('' when it serves). */
  outOfScene: string;
  actions: ActionView[];
}

export function actionsFor(role: MerchantRole, status: CampaignStatus): ActionView[] {
  return ALLOWED[role][status].map((action) => ({
    action,
    label: TRANSITION_TEXT[action],
    type: action === 'end' ? 'danger' : action === 'pause' ? 'default' : 'primary',
  }));
}

export function campaignView(c: CampaignSummary, role: MerchantRole): CampaignView {
  const share = c.dailyBudgetFen > 0 ? c.today.spentFen / c.dailyBudgetFen : 0;
  return {
    id: c.id,
    name: c.name,
    statusText: STATUS_TEXT[c.status],
    tagType: STATUS_TAG[c.status],
    todaySpend: yuan(c.today.spentFen),
    dailyBudget: yuan(c.dailyBudgetFen),
    spendPercent: Math.min(100, Math.round(share * 100)),
    todayClicks: count(c.today.clicks),
    bid: yuan(c.bidFen),
    totalSpend: yuan(c.spentTotalFen),
    totalBudget: yuan(c.totalBudgetFen),
    outOfScene: c.outOfScene ?? '',
    // Starting or resuming it would be refused (the server says why): not offered.
    actions: actionsFor(role, c.status).filter(
      (a) => !c.outOfScene || (a.action !== 'start' && a.action !== 'resume'),
    ),
  };
}
