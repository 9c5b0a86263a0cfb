/**
 * Privacy port: a user's consent history and personalisation switch, and the erasure jobs
 * whose records double as tombstones (keyed by a hash of the openid, so that a finished
 * erasure keeps no identifier in the clear yet still refuses a late batch from the device).
 */
import type { Demographics } from '../../typings';
import type { RiskAssessment } from '../engine/risk-assessment';

export type { Demographics } from '../../typings';
export type { RiskAssessment } from '../engine/risk-assessment';

export interface ConsentRecord {
  noticeVersion: string;
  granted: boolean;
  /** Server time, epoch ms. */
  at: number;
}

export interface AccountSettings {
  openid: string;
  /** Latest consent answer; null when none was ever recorded. */
  consent: ConsentRecord | null;
  /** Personalised recommendation on (the default) or refused. */
  personalised: boolean;
  /** Gender / age band / city the user shared for ad targeting ({} when none). */
  demographics: Demographics;
  /** The risk questionnaire's answers and level (金融理财); null or absent when none. */
  risk?: RiskAssessment | null;
  /** Categories chosen at first launch (cold start: they seed the profile); absent when none. */
  interests?: ChosenInterests | null;
  updatedAt: number;
}

/** What the user picked in 选择你感兴趣的内容: catalog categories, and when. */
export interface ChosenInterests {
  categories: string[];
  at: number;
}

/** Shared attributes a campaign restricts its audience to; an empty list restricts nothing. */
export interface AudienceFilter {
  genders: readonly string[];
  ageBands: readonly string[];
  cities: readonly string[];
}

export interface ErasureJob {
  /** Hash of the openid (see server/privacy/subject.ts): the job's key, kept after it is done. */
  subject: string;
  /** The openid while the job runs (it needs it to find the records); null once done. */
  openid: string | null;
  status: 'running' | 'done';
  startedAt: number;
  updatedAt: number;
  finishedAt: number | null;
  /** Index of the step the job is at (steps: collections, then model and trainer state). */
  step: number;
  /** Records deleted so far, per step name. */
  deleted: Record<string, number>;
  /** Incremented by every save; a save naming a stale revision is refused (two workers never both advance). */
  rev: number;
  /**
   * When the learning step rewrote the serving model's weights (epoch ms); the job is done only
   * once every warm `recommend` instance has checked the serving pointer since (MODEL_CHECK_MS).
   */
  scrubbedAt?: number;
}

export interface PrivacyStore {
  getSettings(openid: string): Promise<AccountSettings | null>;
  /** Appends a consent answer to the history and makes it the current one. */
  recordConsent(openid: string, record: ConsentRecord): Promise<void>;
  /** The user's consent answers, oldest first. */
  consentHistory(openid: string): Promise<ConsentRecord[]>;
  setPersonalised(openid: string, personalised: boolean, at: number): Promise<void>;
  /** Replaces what the user shared for ad targeting ({} withdraws it all). */
  setDemographics(openid: string, demographics: Demographics, at: number): Promise<void>;
  /** Replaces the risk assessment (null withdraws it). */
  setRiskAssessment(openid: string, risk: RiskAssessment | null, at: number): Promise<void>;
  /** Replaces the interests chosen at first launch (null withdraws them). */
  setChosenInterests(openid: string, interests: ChosenInterests | null, at: number): Promise<void>;
  /**
   * Users who would see an ad restricted to these shared attributes: personalised, and having
   * shared a value in every non-empty list (cities compared as given; the caller lists variants).
   */
  countSharedAudience(filter: AudienceFilter): Promise<number>;
  getErasure(subject: string): Promise<ErasureJob | null>;
  /** Saves `job` (whose rev must be expectedRev + 1) only if the stored revision is expectedRev (0: none). */
  saveErasure(job: ErasureJob, expectedRev: number): Promise<boolean>;
  /** Jobs still running, oldest first (the maintenance timer resumes them). */
  runningErasures(limit: number): Promise<ErasureJob[]>;
  /** Deletes up to `limit` finished jobs (tombstones) that finished before `cutoff` (epoch ms); returns how many. */
  purgeErasuresBefore(cutoff: number, limit: number): Promise<number>;
}
