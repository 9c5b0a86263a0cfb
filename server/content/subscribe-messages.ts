/**
 * Subscription messages (订阅消息, WeChat's one-time subscriptions): which topics are on (a topic
 * whose template is not configured is off), recording the person's answers to
 * wx.requestSubscribeMessage (each accept allows one message), and sending one message within
 * those rules: never without an accepted send, one taken per send key even when the send is
 * retried, WeChat's refusals recorded rather than retried. Senders: a reply to the person's comment,
 * or a new comment on an item they commented on (here, at the event), a campaign's budget used up or its end within a day
 * (server/merchant/campaign-notices.ts, in train's maintenance).
 */
import type { SubscribeChoice, SubscribeState, SubscribeTopic } from '../../typings';
import type { Config } from '../config';
import { SubscribeMessageError, type Stores } from '../ports';
import { TEMPLATE_FIELDS } from '../ports/subscriptions';
import type { Logger } from '../runtime/function';

export const TOPICS = Object.keys(TEMPLATE_FIELDS) as SubscribeTopic[];

/** At most this many earlier commenters are told of a new comment (the send happens inside the post). */
export const REPLY_RECIPIENTS = 10;
/** Of an item's comments, the newest this many are read for its earlier commenters. */
const REPLY_LOOKBACK = 50;

/** The template of a topic, or null when the deployment did not configure one (the topic is off). */
export function templateOf(
  config: Pick<Config, 'subscribeTemplates'>,
  topic: SubscribeTopic,
): string | null {
  return config.subscribeTemplates[topic] || null;
}

export async function subscribeState(
  stores: Stores,
  config: Pick<Config, 'subscribeTemplates'>,
  openid: string,
): Promise<SubscribeState> {
  const quotas = await stores.subscriptions.quotas(openid);
  return {
    topics: TOPICS.map((topic) => {
      const templateId = templateOf(config, topic);
      return { topic, templateId, left: templateId ? (quotas[templateId] ?? 0) : 0 };
    }),
  };
}

/** Records the person's answers: each accepted topic that is on gains one send; the rest change nothing. */
export async function recordChoices(
  stores: Stores,
  config: Pick<Config, 'subscribeTemplates'>,
  openid: string,
  choices: Partial<Record<SubscribeTopic, SubscribeChoice>>,
  now: number,
): Promise<SubscribeState> {
  const accepted = TOPICS.filter((t) => choices[t] === 'accept')
    .map((t) => templateOf(config, t))
    .filter((id): id is string => id !== null);
  if (accepted.length > 0) await stores.subscriptions.grant(openid, accepted, now);
  return subscribeState(stores, config, openid);
}

/** A value for a `thing` field: WeChat allows at most 20 characters. */
export function thing(text: string): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  if (chars.length === 0) return '（无）';
  return chars.length <= 20 ? chars.join('') : `${chars.slice(0, 19).join('')}…`;
}

/** A value for a `time` field, in China Standard Time: 2026-12-06 14:05. */
export function cstTime(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

export type SendOutcome = 'sent' | 'off' | 'no-quota' | 'done' | 'refused' | 'failed';

export interface Notice {
  openid: string;
  topic: SubscribeTopic;
  /** Unique per recipient and message: the send takes a quota once under it. */
  key: string;
  page: string;
  data: Record<string, string>;
}

/**
 * Sends one notice within the one-time rules. 'failed' (WeChat unreachable) leaves the send
 * pending with its quota taken: sending the same key again retries it without taking another.
 */
export async function sendNotice(
  stores: Stores,
  config: Pick<Config, 'subscribeTemplates'>,
  log: Logger,
  notice: Notice,
  now: number,
): Promise<SendOutcome> {
  const templateId = templateOf(config, notice.topic);
  if (!templateId) return 'off';
  const took = await stores.subscriptions.take(notice.openid, templateId, notice.key, now);
  if (took === 'none') return 'no-quota';
  if (took === 'done') return 'done';
  try {
    await stores.subscribeMessages.send({
      touser: notice.openid,
      templateId,
      page: notice.page,
      data: Object.fromEntries(Object.entries(notice.data).map(([k, value]) => [k, { value }])),
    });
  } catch (err) {
    if (!(err instanceof SubscribeMessageError) || err.errcode === -1) {
      log.error('subscription message not sent; retried with the same key', {
        topic: notice.topic,
        error: err instanceof Error ? err.message : String(err),
      });
      return 'failed';
    }
    // WeChat answered: no retry would change its mind (43101 no quota on its side, 47003, 40037).
    log.error('subscription message refused', { topic: notice.topic, errcode: err.errcode });
    await stores.subscriptions.finish(notice.openid, notice.key, `refused:${err.errcode}`);
    return 'refused';
  }
  await stores.subscriptions.finish(notice.openid, notice.key, 'sent');
  return 'sent';
}

/**
 * A new comment. A reply goes to the author of the comment it answers (as WeChat users expect:
 * 「有人回复了你」), never to the replier themself; a top-level comment goes to the item's earlier
 * commenters (newest first, not the author, at most REPLY_RECIPIENTS). Only those who accepted a
 * 回复 notice get one. Failures are logged, never the post's.
 */
export async function noticeNewComment(
  stores: Stores,
  config: Pick<Config, 'subscribeTemplates'>,
  log: Logger,
  comment: { id: string; itemId: string; openid: string; text: string; createdAt: number },
  itemTitle: string,
  /** The author of the comment this one replies to (a reply), or undefined (a top-level comment). */
  repliedTo?: string,
): Promise<Record<string, SendOutcome>> {
  if (!templateOf(config, 'reply')) return {};
  const recipients =
    repliedTo !== undefined
      ? [repliedTo].filter((o) => o !== comment.openid)
      : [
          ...new Set(
            (await stores.comments.listForItem(comment.itemId, null, REPLY_LOOKBACK))
              .map((c) => c.openid)
              .filter((o) => o !== comment.openid),
          ),
        ].slice(0, REPLY_RECIPIENTS);
  const out: Record<string, SendOutcome> = {};
  for (const openid of recipients) {
    try {
      out[openid] = await sendNotice(
        stores,
        config,
        log,
        {
          openid,
          topic: 'reply',
          key: `reply:${comment.id}`,
          page: `pages/detail/index?id=${encodeURIComponent(comment.itemId)}`,
          data: {
            thing1: thing(itemTitle),
            thing2: thing(comment.text),
            time3: cstTime(comment.createdAt),
          },
        },
        comment.createdAt,
      );
    } catch (err) {
      out[openid] = 'failed';
      log.error('reply notice failed', { error: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}
