/**
 * Subscriptions port (订阅消息, one-time subscriptions): how many sends each user accepted per
 * template, and which sends took one. WeChat's rule: each accept in wx.requestSubscribeMessage
 * allows exactly one message of that template; we keep the same count so we never send without
 * one, and key each send so a retried send takes it once. Personal data: exported and erased.
 */

/** The most accepted-and-unused sends kept per (user, template); more accepts are not counted. */
export const MAX_QUOTA = 50;

/** What `take` found for a send. */
export type TakeResult =
  /** A quota was taken now for this send: send it. */
  | 'taken'
  /** This send took one earlier and was not marked sent (a retry): send it, no new quota taken. */
  | 'pending'
  /** This send was already delivered (or given up): do nothing. */
  | 'done'
  /** The user has no accepted send of this template left: do not send. */
  | 'none';

export interface SubscriptionSend {
  /** The send's key, unique per user (e.g. `budget:<campaignId>`). */
  key: string;
  templateId: string;
  /** When the quota was taken (server time, epoch ms). */
  at: number;
  /** null while not yet delivered; otherwise 'sent' or WeChat's refusal, e.g. 'refused:43101'. */
  outcome: string | null;
}

export interface Subscriptions {
  /** Adds one accepted send per template (capped at MAX_QUOTA); returns the quotas now, by template. */
  grant(openid: string, templateIds: string[], at: number): Promise<Record<string, number>>;
  /** The user's unused accepted sends per template (templates with none are absent). */
  quotas(openid: string): Promise<Record<string, number>>;
  /**
   * Takes one of the user's accepted sends of `templateId` for the send `key`, once per key:
   * a second call with the same key never takes another (see TakeResult).
   */
  take(openid: string, templateId: string, key: string, at: number): Promise<TakeResult>;
  /** Records how the send ended ('sent' or a refusal); a marked send answers 'done' to `take`. */
  finish(openid: string, key: string, outcome: string): Promise<void>;
}

/** The topics people can subscribe to, and the fields the template chosen for each must have. */
export const TEMPLATE_FIELDS = {
  /** Someone commented on an item you commented on: 内容 (item title), 评论 (excerpt), 时间. */
  reply: ['thing1', 'thing2', 'time3'],
  /** A campaign's budget is used up: 计划名称, 提示, 时间. */
  budget: ['thing1', 'thing2', 'time3'],
  /** A campaign ends within a day: 计划名称, 结束时间, 提示. */
  ending: ['thing1', 'time2', 'thing3'],
} as const;

export type SubscribeTopic = keyof typeof TEMPLATE_FIELDS;
