/**
 * Subscription messages (订阅消息) on the device: asks with wx.requestSubscribeMessage — which
 * WeChat allows only inside a tap, so pages call it from a button — for the topics' templates
 * (read once from `account` subscribe.get), records the answers with subscribe.record (each
 * 允许 allows one message), and says in Chinese what happened: subscribed, refused, banned,
 * turned off in settings, or not offered on this deployment.
 */
import type { SubscribeChoice, SubscribeState, SubscribeTopic } from '../../typings';
import { getApi } from './api';
import { toApiError } from './api-error';

export type AskOutcome = 'accepted' | 'rejected' | 'banned' | 'switched-off' | 'off' | 'failed';

export interface AskResult {
  outcome: AskOutcome;
  /** What to tell the person. */
  message: string;
}

let templates: Promise<SubscribeState> | null = null;

/** Forgets the topics read (tests; a new session reads them again). */
export function forgetSubscribeTopics(): void {
  templates = null;
}

async function topics(): Promise<SubscribeState> {
  templates ??= getApi()
    .call('account', { action: 'subscribe.get' })
    .then((res) => {
      if (res.action !== 'subscribe.get') throw new Error('unexpected answer');
      return res.subscriptions;
    });
  try {
    return await templates;
  } catch (err) {
    templates = null; // asked again next time
    throw err;
  }
}

/** wx.requestSubscribeMessage as a promise: the answer per template id, or the failure's errCode. */
function request(tmplIds: string[]): Promise<Record<string, unknown> | { errCode: number }> {
  return new Promise((resolve) => {
    wx.requestSubscribeMessage({
      tmplIds,
      success: (res: unknown) => resolve(res as Record<string, unknown>),
      fail: (err: unknown) => resolve({ errCode: (err as { errCode?: number }).errCode ?? -1 }),
    } as unknown as WechatMiniprogram.RequestSubscribeMessageOption);
  });
}

/** What to say, per outcome; `accepted` names what the person will hear about. */
export function askMessage(outcome: AskOutcome, what: string): string {
  switch (outcome) {
    case 'accepted':
      return `已订阅：${what}时通知你一次`;
    case 'rejected':
      return '你没有允许，本次不会通知你';
    case 'banned':
      return '该通知已被微信限制，暂时无法订阅';
    case 'switched-off':
      return '你已关闭订阅消息，可在右上角「…」→「设置」中打开';
    case 'off':
      return '暂未开通此通知';
    case 'failed':
      return '订阅失败，请稍后再试';
  }
}

/**
 * Asks for the topics' notices (call it from a tap). `what` names the event in the messages
 * (有人回复). Never throws: every outcome is an AskResult.
 */
export async function askSubscribe(
  topicsWanted: SubscribeTopic[],
  what: string,
): Promise<AskResult> {
  const done = (outcome: AskOutcome): AskResult => ({
    outcome,
    message: askMessage(outcome, what),
  });
  let state: SubscribeState;
  try {
    state = await topics();
  } catch (err) {
    return { outcome: 'failed', message: toApiError(err).message };
  }
  const wanted = state.topics.filter(
    (t): t is { topic: SubscribeTopic; templateId: string; left: number } =>
      topicsWanted.includes(t.topic) && t.templateId !== null,
  );
  if (wanted.length === 0) return done('off');
  const answer = await request(wanted.map((t) => t.templateId));
  // 20004: the person turned subscription messages off for this Mini Program.
  if ('errCode' in answer && typeof answer.errCode === 'number')
    return done(answer.errCode === 20004 ? 'switched-off' : 'failed');
  const choices: Partial<Record<SubscribeTopic, SubscribeChoice>> = {};
  for (const t of wanted) {
    const a = (answer as Record<string, unknown>)[t.templateId];
    if (a === 'accept' || a === 'reject' || a === 'ban' || a === 'filter') choices[t.topic] = a;
  }
  const values = Object.values(choices);
  if (values.length === 0) return done('failed');
  try {
    await getApi().call('account', { action: 'subscribe.record', choices });
  } catch (err) {
    return { outcome: 'failed', message: toApiError(err).message };
  }
  if (values.includes('accept')) return done('accepted');
  if (values.includes('ban') || values.includes('filter')) return done('banned');
  return done('rejected');
}
