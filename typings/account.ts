/**
 * The `account` function's contract: a user's rights over their data under PIPL — consent,
 * refusing personalisation (art. 24), seeing what the system believes, a copy, and erasure.
 */

import type { AgeBand } from './merchant';

/**
 * What a user chose to share for ad targeting, each only when shared. Campaigns restricted on
 * one of these are shown only to users who shared a matching value, and only while the feed is
 * personalised; withdrawing consent to the privacy notice clears them.
 */
export interface Demographics {
  gender?: 'male' | 'female';
  ageBand?: AgeBand;
  /** City name as the user wrote it, e.g. "成都" (a trailing 市 is ignored when matching). */
  city?: string;
}

/** Where a user's erasure stands; `running` until every collection holds nothing of theirs. */
export interface ErasureProgress {
  status: 'running' | 'done';
  startedAt: number;
  finishedAt: number | null;
  /** Records deleted so far, per collection. */
  deleted: Record<string, number>;
  /** Collections (and model/state steps) finished, of all there are. */
  stepsDone: number;
  stepsTotal: number;
}

export interface ConsentEntry {
  /** Version of the privacy notice the user answered. */
  noticeVersion: string;
  granted: boolean;
  /** Server time the answer was recorded, epoch ms. */
  at: number;
}

export type AccountRequest =
  /**
   * Records the user's answer to the privacy notice (after WeChat's privacy authorization). A
   * withdrawal (granted: false) also starts erasing everything stored about the user (PIPL
   * art. 47: withdrawal is a deletion trigger), unless `keepHistory` is true: then the data is
   * kept under the retention rules but no longer collected or used for personalisation.
   */
  | { action: 'consent.set'; noticeVersion: string; granted: boolean; keepHistory?: boolean }
  | { action: 'consent.get' }
  /** Turns personalised recommendation on or off (off: a non-personalised feed). */
  | { action: 'personalization.set'; enabled: boolean }
  | { action: 'profile.get' }
  /** Shares gender / age band / city for ad targeting: exactly these fields, replacing what was shared before. Needs a granted consent. */
  | { action: 'demographics.set'; gender?: 'male' | 'female'; ageBand?: AgeBand; city?: string }
  /** Withdraws everything shared by demographics.set. */
  | { action: 'demographics.clear' }
  | { action: 'demographics.get' }
  /** One page of everything stored about the user; pass the returned cursor back for the next. */
  | { action: 'export.page'; cursor?: string }
  /** The risk questionnaire (金融理财): its version and questions. */
  | { action: 'risk.questionnaire' }
  /**
   * Answers the risk questionnaire: one option index per question, in order, naming the version
   * answered. Replaces any earlier assessment. Needs a granted consent.
   */
  | { action: 'risk.assess'; version: string; answers: number[] }
  | { action: 'risk.get' }
  /** Withdraws the assessment: no risk-rated product is offered afterwards. */
  | { action: 'risk.clear' }
  /**
   * The categories picked in 选择你感兴趣的内容 (first launch; cold start): they seed the profile
   * until behaviour speaks. Replaces any earlier choice; an empty list withdraws it. Needs a
   * granted consent.
   */
  | { action: 'interests.set'; categories: string[] }
  | { action: 'interests.get' }
  /** The subscription-message topics, their templates and the person's accepted sends left. */
  | { action: 'subscribe.get' }
  /**
   * Records the person's answers to wx.requestSubscribeMessage, per topic: each 'accept' allows
   * one message of that topic (WeChat's one-time subscription); the others change nothing.
   */
  | {
      action: 'subscribe.record';
      choices: Partial<Record<SubscribeTopic, SubscribeChoice>>;
    }
  /** Starts (or continues) erasing everything stored about the user; repeating it is harmless. */
  | { action: 'erase.start' }
  | { action: 'erase.status' };

export interface ConsentState {
  /** The latest answer; null when none is recorded. */
  current: ConsentEntry | null;
  history: ConsentEntry[];
  personalized: boolean;
}

export interface ProfileView {
  /** Top interest tags and categories ("tag:x", "cat:y") with their current weight. */
  interests: { tag: string; score: number }[];
  /** Stored events by type. */
  eventCounts: Record<string, number>;
  /** Experiment variants ("experiment:variant") of the feeds served to the user. */
  experiments: string[];
  personalized: boolean;
  /**
   * Graph features of the last social round (degree, weighted activity, influence, clustering,
   * community, shared interest with ties); absent until the user has a tie.
   */
  social?: {
    degree: number;
    activity: number;
    influence: number;
    clustering: number;
    community: number | null;
    sharedInterest: number;
    updatedAt: number;
  };
  /**
   * The user's buyer segment (RFM) from their pay-verified orders of the last 180 days, as of
   * train's last payment step; absent until they have paid.
   */
  /**
   * The user's purchase propensity as of train's last payment step (P(pays within horizonDays) and
   * the share of scored users at or above it), which "likely buyers" ads target; absent until scored.
   */
  purchase?: { p: number; topShare: number; horizonDays: number; asOf: number };
  payments?: {
    segment: string;
    /** 高价值常客, 忠实客户, 新客户, 潜力客户, 流失风险, 沉睡客户, 需要关注 or 尚未购买. */
    segmentLabel: string;
    orders: number;
    monetaryFen: number;
    recencyDays: number | null;
    /** The highest risk tolerance payments support (a cap on the stated one); null: none. */
    suggestedTolerance?: 1 | 2 | 3 | 4 | 5 | null;
    toleranceReason?: 'newPayer' | 'erratic' | null;
    asOf: number;
  };
}

export interface RiskQuestionnaire {
  version: string;
  questions: { id: string; text: string; options: string[] }[];
}

/** The user's risk assessment as the system acts on it (null: never assessed or withdrawn). */
export interface RiskAssessmentView {
  /** C1–C5 from the answers. */
  stated: 1 | 2 | 3 | 4 | 5;
  /**
   * What suitability uses now: the stated level capped by the payment suggestion, or null once
   * the assessment has expired.
   */
  tolerance: 1 | 2 | 3 | 4 | 5 | null;
  /**
   * The highest level the user's payment behaviour supports (train's payment step; frequency,
   * amount spread, refunds of pay-verified orders), null when it sets no cap (no orders, or a
   * regular, stable payer). It only ever lowers the stated level; erased with the profile.
   */
  suggested: 1 | 2 | 3 | 4 | 5 | null;
  /** 保守型 … of the suggested level; null without one. */
  suggestedLabel: string | null;
  /** Why it caps, in Chinese (付款记录较少 …); null when it does not. */
  suggestedReason: string | null;
  /** 保守型 … 进取型 of the stated level. */
  label: string;
  score: number;
  maxScore: number;
  answers: number[];
  version: string;
  at: number;
  expiresAt: number;
  expired: boolean;
}

export interface ExportPage {
  /** Collection the records come from (events, slates, user_profiles, consents …). */
  collection: string;
  records: Record<string, unknown>[];
  /** Pass back for the next page; null when the export is complete. */
  cursor: string | null;
}

export type AccountResponse =
  | { action: 'consent.get' | 'personalization.set'; consent: ConsentState }
  /** `erasure`: the erasure a withdrawal started (absent when consent was given or history kept). */
  | { action: 'consent.set'; consent: ConsentState; erasure?: ErasureProgress }
  | { action: 'profile.get'; profile: ProfileView }
  | {
      action: 'demographics.set' | 'demographics.clear' | 'demographics.get';
      demographics: Demographics;
    }
  | { action: 'export.page'; page: ExportPage }
  | { action: 'risk.questionnaire'; questionnaire: RiskQuestionnaire }
  | {
      action: 'risk.assess' | 'risk.get' | 'risk.clear';
      assessment: RiskAssessmentView | null;
    }
  | { action: 'interests.set' | 'interests.get'; interests: ChosenInterestsView | null }
  | { action: 'erase.start' | 'erase.status'; erasure: ErasureProgress | null }
  | { action: 'subscribe.get' | 'subscribe.record'; subscriptions: SubscribeState };

/** What a subscription message tells: a reply on an item you commented on; a campaign's budget used up; a campaign ending within a day. */
export type SubscribeTopic = 'reply' | 'budget' | 'ending';

/** What the person answered in wx.requestSubscribeMessage for a template ('filter': WeChat filtered it out, e.g. the template is not the account's). */
export type SubscribeChoice = 'accept' | 'reject' | 'ban' | 'filter';

/** Per topic: its template (null: the notification is off on this deployment) and the sends the person has accepted and not yet used. */
export interface SubscribeState {
  topics: { topic: SubscribeTopic; templateId: string | null; left: number }[];
}

/** The categories the user picked at first launch, and when (epoch ms). */
export interface ChosenInterestsView {
  categories: string[];
  at: number;
}
