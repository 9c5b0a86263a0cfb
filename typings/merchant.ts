/**
 * The `merchant` function's contract: roles (platform admin, merchant owner and staff),
 * campaigns with their audit log, and reports. Every action is authorised on the server from
 * the caller's WeChat identity; nothing in a request names who is calling.
 */
import type {
  Experiment,
  ExperimentAuditEntry,
  ExperimentInput,
  ExperimentParameter,
  ExperimentResults,
} from './experiments';
import type { Campaign, CampaignTargeting, Merchant } from './ads';
import type { PerfReport } from './perf';
import type { FieldChange } from './audit';
import type { Offer } from './pay';
import type { AppSceneName } from './functions';

export type MerchantRole = 'owner' | 'staff';

/** An openid's place in a merchant. One merchant per openid. */
export interface Membership {
  merchantId: string;
  role: MerchantRole;
  joinedAt: number;
}

/** Age bands a campaign may target. */
export type AgeBand = '18-24' | '25-34' | '35-44' | '45-54' | '55+';

/** What a campaign's owner sets; the server adds id, merchant, status and timestamps. */
export type CampaignInput = Pick<
  Campaign,
  | 'name'
  | 'creative'
  | 'bidFen'
  | 'dailyBudgetFen'
  | 'totalBudgetFen'
  | 'startAt'
  | 'endAt'
  | 'hours'
  | 'riskLevel'
  | 'bidding'
> & {
  targeting: Omit<CampaignTargeting, 'ageBands'> & { ageBands: AgeBand[] };
};

/** What a campaign has spent on one CST day, from the counters the click charge writes (the budget guards). */
export interface CampaignSpend {
  /** CST day "YYYYMMDD". */
  day: string;
  /** Billed clicks and their cost. */
  clicks: number;
  spentFen: number;
}

/** A campaign as the list shows it: today's spend next to its daily budget, and its lifetime spend. */
export interface CampaignSummary extends Campaign {
  today: CampaignSpend;
  spentTotalFen: number;
  /**
   * Present when the deployment's scene would never serve the campaign (stored before the scene
   * was set): why, and what to change. Such a campaign cannot be started or resumed.
   */
  outOfScene?: string;
}

/** Values a campaign's targeting can take from the catalog, most used first. */
export interface TargetingOptions {
  /** Content categories ("美食"). */
  categories: string[];
  /** Content tags ("火锅"), at most a few hundred. */
  tags: string[];
}

/**
 * The deployment's scene (SCENE; server/scenes.ts) as the campaign editor needs it: which
 * campaigns can serve here (server/engine/ads/scene.ts). The server refuses to save or start a
 * campaign that could not.
 */
export interface CampaignScene {
  name: AppSceneName;
  /** The scene's name as the editor shows it ("金融理财"). */
  label: string;
  /**
   * Content categories a campaign must be about to serve: its interest targeting names one, or
   * it lands on a content item of one. null: every campaign serves (综合, 智能客服).
   */
  categories: string[] | null;
  /** Risk-rated financial products (R1–R5) serve whatever their targeting. */
  ratedProducts: boolean;
}

/**
 * The local host's answer to an ad image upload (`POST /upload/image`, multipart field `file`;
 * local mode only: in the cloud the Mini Program uploads to cloud storage itself).
 */
export interface UploadedImage {
  /** What a creative stores: "local://uploads/<sha256>.<ext>". */
  image: string;
  /** Where the host serves it, relative to the host: "/files/uploads/<sha256>.<ext>". */
  url: string;
  bytes: number;
}

/** `image.publish`'s answer: the published ad image (cloud: "cloud://<env>.<bucket>/ads/<sha256>.<ext>"). */
export interface PublishedAdImage {
  /** What a creative's `image` takes. */
  image: string;
  bytes: number;
}

export interface AuditEntry {
  campaignId: string;
  merchantId: string;
  /** openid of whoever made the change. */
  actor: string;
  at: number;
  action:
    | 'create'
    | 'update'
    | 'start'
    | 'pause'
    | 'resume'
    | 'end'
    | 'offer.set'
    | 'offer.clear'
    // A held order's review (支付安全): the change names the order and its states.
    | 'order.approve'
    | 'order.reject';
  changes: FieldChange[];
}

/** How an audit log names whoever made a change: by role and a display name, never an openid. */
export interface AuditActorView {
  /** "所有者 3F2A9C" / "员工 7B01DD" (keyed per merchant, like MemberView), "平台管理员", "已离开的成员" or "已注销的用户". */
  actorName: string;
  actorRole: MerchantRole | 'admin' | 'former' | 'erased';
}

/** A campaign audit entry as merchants read it (`campaign.audit`): the stored actor replaced by its view. */
export type AuditEntryView = Omit<AuditEntry, 'actor'> & AuditActorView;

/** A member as the merchant's owners see them: by role and a display name, never an openid. */
export interface MemberView {
  /** Stable per merchant, keyed on the server (not derivable from an openid): names the member in member.remove. */
  memberId: string;
  role: MerchantRole;
  /** "所有者 3F2A9C" / "员工 7B01DD": the role and the start of memberId. */
  displayName: string;
  joinedAt: number;
  /** The caller themself. */
  you: boolean;
}

/** An invitation that can still be redeemed (the code itself is shown only once, at creation). */
export interface InvitationView {
  inviteId: string;
  role: MerchantRole;
  createdAt: number;
  expiresAt: number;
}

/** Changes to who may act for a merchant: removals and revocations, by whom (display name) and when. */
export interface MerchantAuditEntry {
  merchantId: string;
  /** openid of whoever made the change (stored; answered as a display name). */
  actor: string;
  at: number;
  /** comment.hide / comment.restore: a platform admin's moderation decision (merchantId PLATFORM_AUDIT). */
  action: 'member.remove' | 'invite.revoke' | 'image.publish' | 'comment.hide' | 'comment.restore';
  /** The removed member's display name, the revoked invitation's id and role, the published image's name and size, or the moderated comment's id. */
  subject: string;
}

/** One campaign's numbers for one CST day ("20261128"). */
export interface DailyReportRow {
  day: string;
  /** Auctions the campaign won: times it was placed on a served slate. */
  requestsWon: number;
  viewableImpressions: number;
  /** Billed clicks and what they cost (the charged second prices). */
  clicks: number;
  spendFen: number;
  /**
   * Invalid clicks (无效点击), counted and never charged: on a position not served to the clicker
   * or never seen by them, repeated on one ad within a minute, or part of a click flood.
   */
  invalidClicks: number;
  /** clicks / viewable impressions; null without impressions. */
  ctr: number | null;
  /**
   * Pay-verified orders (WeChat Pay confirmed them) and their paid amount, attributed to the ad:
   * paid by a user whose last click on it came at most 24 h before. Client events never count.
   */
  orders: number;
  paidFen: number;
  /**
   * Refunds confirmed this day of orders through the ad, and their amount: every one, also of an
   * order paid before the report's first day (its paid amount is on its own day, outside the range).
   */
  refunds: number;
  refundedFen: number;
  /**
   * The day's paid orders as they stand now: those not refunded in full (a partial refund keeps
   * the order), and their paid amount less every refund confirmed of them so far, whatever day.
   * A refund thus lowers the day the order was paid (a retraction, as ad platforms restate a
   * conversion on its own date), so the day's CPA and ROAS compare its spend with what it sold.
   */
  netOrders: number;
  netPaidFen: number;
  /** spend / netOrders (net of refunds); null without such orders. */
  cpaFen: number | null;
  /** netPaidFen / spend (net of refunds); null without spend. */
  roas: number | null;
}

/** A breakdown row: impressions and clicks as tracked (billed totals are in the daily report). */
export interface BreakdownRow {
  /**
   * A slot position ("3"), an audience segment: the launch scene the ad was served in
   * ("scene:1001", "scene:unknown"), or a buyer segment ("rfm:loyal", "rfm:unknown": a buyer
   * without a profile).
   */
  key: string;
  /** What to call the row where the server names it: a buyer segment's Chinese name, as 我的 shows it. */
  label?: string;
  users: number;
  viewableImpressions: number;
  clicks: number;
  ctr: number | null;
  /** Buyer segments only: the pay-verified orders through the ad and their paid amount. */
  orders?: number;
  paidFen?: number;
  /**
   * Buyer segments only: what WeChat Pay has refunded of those orders so far (confirmed, whatever
   * day), and the amount kept (paidFen − refundedFen), as the daily report's net per paid day.
   */
  refundedFen?: number;
  netPaidFen?: number;
}

export interface Breakdown {
  /** `buyers`: the buyers of pay-verified orders through the ad by their RFM segment. */
  by: 'position' | 'segment' | 'buyers';
  rows: BreakdownRow[];
  /**
   * Rows left out because fewer than `minUsers` distinct users are in them (k-anonymity), and the
   * rows left out with them so that none can be derived by subtracting the shown rows from a
   * total (complementary suppression: never exactly one, together at least `minUsers` users);
   * their numbers are not shown in any form.
   */
  suppressedRows: number;
  minUsers: number;
}

export type MerchantRequest =
  /** Who the caller is to the merchant side: platform admin, a merchant's member, or neither. */
  | { action: 'me' }
  /** Platform admin: a new merchant. */
  | { action: 'merchant.create'; name: string }
  /** Platform admin: the merchants to pick from (newest first, at most 200). */
  | { action: 'merchant.list' }
  /** Platform admin (any merchant, any role) or a merchant owner (own merchant, staff): a one-time invitation code. */
  | { action: 'invite.create'; merchantId: string; role: MerchantRole }
  /** Anyone without a merchant: joins the merchant of an unused, unexpired code. */
  | { action: 'invite.redeem'; code: string }
  /** Members: the merchant's campaigns with today's spend. */
  | { action: 'campaign.list' }
  /** Members: the categories and tags a campaign may target (what published content carries). */
  | { action: 'targeting.options' }
  /** Platform admin: Mini Program performance per page, version and platform, regressions, funnels (the 性能 page). */
  | { action: 'perf.report' }
  | { action: 'campaign.get'; campaignId: string }
  /** Owner: a new campaign, in draft. */
  | { action: 'campaign.create'; campaign: CampaignInput }
  /**
   * Owner: changes the given fields (creative and targeting are replaced whole). `expectedRevision`:
   * the campaign revision the editor loaded; another one stored answers CONFLICT (reload, then edit).
   * Without it the change still applies only to the revision the server read (no lost updates).
   */
  | {
      action: 'campaign.update';
      campaignId: string;
      patch: Partial<CampaignInput>;
      expectedRevision?: number;
    }
  /** Status changes: start (draft → active, owner), pause (active → paused, owner or staff), resume (paused → active, owner), end (any but ended → ended, owner). */
  | {
      action: 'campaign.start' | 'campaign.pause' | 'campaign.resume' | 'campaign.end';
      campaignId: string;
      expectedRevision?: number;
    }
  | { action: 'campaign.audit'; campaignId: string }
  /**
   * Owner: the offer sold on the campaign's landing page through WeChat Pay (title, unit price in
   * fen, stock, per-user limit), replaced whole; `offer.clear` stops selling (open orders may
   * still be paid). Audited, compare-and-set on the campaign's revision like an edit.
   */
  | { action: 'offer.set'; campaignId: string; offer: Offer; expectedRevision?: number }
  | { action: 'offer.clear'; campaignId: string; expectedRevision?: number }
  /**
   * Who may act for a merchant (its owners and platform admins): list members and open
   * invitations, remove a member (not oneself) or revoke an invitation, both audited.
   */
  | { action: 'member.list' | 'invite.list' | 'merchant.audit'; merchantId: string }
  | { action: 'member.remove'; merchantId: string; memberId: string }
  | { action: 'invite.revoke'; merchantId: string; inviteId: string }
  /**
   * Owner, cloud ad images: `image.stage` names where the client uploads a picked image (its own
   * staging folder); `image.publish` checks that staged upload (size, JPEG/PNG/WebP content matching
   * its extension), publishes it under ads/ and answers the creative's `image`. Audited.
   */
  | { action: 'image.stage'; ext: 'jpg' | 'png' | 'webp' }
  | { action: 'image.publish'; fileID: string }
  /** Days are CST "YYYYMMDD", inclusive, at most 31. */
  | { action: 'report.daily'; campaignId: string; from: string; to: string }
  /**
   * Segments: the WeChat launch scene the ad was served in ("scene:1001"); buyers: the buyers of
   * its pay-verified orders by RFM segment ("rfm:loyal").
   */
  | {
      action: 'report.breakdown';
      campaignId: string;
      from: string;
      to: string;
      by: Breakdown['by'];
    }
  /**
   * Experiments: admins see all and own the platform's; members see their merchant's; owners create, start and stop them,
   * on parameters scoped to their own ads only (a platform parameter answers FORBIDDEN). `experiment.audit`: who created,
   * started and stopped it, for whoever may see it.
   */
  | { action: 'experiment.list' }
  | { action: 'experiment.create'; experiment: ExperimentInput }
  | {
      action:
        | 'experiment.get'
        | 'experiment.start'
        | 'experiment.stop'
        | 'experiment.results'
        | 'experiment.audit';
      experimentId: string;
    };

export type MerchantResponse =
  | { action: 'me'; admin: boolean; membership: Membership | null; merchant: Merchant | null }
  | { action: 'merchant.create'; merchant: Merchant }
  | { action: 'merchant.list'; merchants: Merchant[] }
  | { action: 'invite.create'; code: string; expiresAt: number }
  | { action: 'invite.redeem'; membership: Membership; merchant: Merchant }
  | { action: 'member.list'; members: MemberView[] }
  | { action: 'invite.list'; invitations: InvitationView[] }
  | {
      action: 'merchant.audit';
      entries: (Omit<MerchantAuditEntry, 'actor'> & { actorName: string })[];
    }
  | { action: 'member.remove' | 'invite.revoke' }
  | { action: 'image.stage'; cloudPath: string }
  | { action: 'image.publish'; published: PublishedAdImage }
  | { action: 'campaign.list'; campaigns: CampaignSummary[] }
  | { action: 'targeting.options'; options: TargetingOptions; scene: CampaignScene }
  | { action: 'perf.report'; report: PerfReport }
  | {
      action:
        | 'campaign.get'
        | 'campaign.create'
        | 'campaign.update'
        | 'campaign.start'
        | 'campaign.pause'
        | 'campaign.resume'
        | 'campaign.end'
        | 'offer.set'
        | 'offer.clear';
      campaign: Campaign;
    }
  | { action: 'campaign.audit'; entries: AuditEntryView[] }
  | { action: 'report.daily'; rows: DailyReportRow[] }
  | { action: 'report.breakdown'; breakdown: Breakdown }
  /** `merchantParameters`: the parameters a merchant's experiment may vary (scoped to its own ads): ad.creative, a creative A/B test of one of its campaigns. */
  | {
      action: 'experiment.list';
      experiments: Experiment[];
      merchantParameters: ExperimentParameter[];
    }
  | {
      action: 'experiment.create' | 'experiment.get' | 'experiment.start' | 'experiment.stop';
      experiment: Experiment;
    }
  | { action: 'experiment.results'; experiment: Experiment; results: ExperimentResults }
  | {
      action: 'experiment.audit';
      entries: (Omit<ExperimentAuditEntry, 'actor'> & AuditActorView)[];
    };
