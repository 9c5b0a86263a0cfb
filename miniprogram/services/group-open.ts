/**
 * A share opened inside a group chat (the launch or show options carry a shareTicket): the
 * group's share info is read with `wx.getShareInfo` and its cloudID sent to `content`
 * social.group, where WeChat vouches for it (the server never trusts a group id from the device).
 * Only while this device collects (a recorded consent, not opted out): the server would refuse it
 * otherwise. Each ticket is reported once (onLaunch and onShow both see a cold start's); failures
 * are swallowed — a group is a hint for 推荐圈子, never worth an error on screen.
 */
import type { ApiClient } from './api';
import { isCollecting, type ConsentStorage } from './consent';

/** The wx calls used here; the real wx satisfies it. */
export interface GroupOpenWx extends ConsentStorage {
  getShareInfo(option: {
    shareTicket: string;
    success(res: { cloudID?: string }): void;
    fail?(err: unknown): void;
  }): void;
}

/** What the app's launch and show options hold of a share (query: the shared page's). */
export interface EnterOptions {
  shareTicket?: string;
  query?: Record<string, string | undefined>;
}

export type GroupOpenOutcome = 'none' | 'seen' | 'not-collecting' | 'sent' | 'failed';

/** Tickets already reported: a few, in a bounded list (a session sees one or two). */
const MAX_SEEN = 8;

export function createGroupOpens(deps: { wx: GroupOpenWx; api: () => Pick<ApiClient, 'call'> }): {
  onEnter(options?: EnterOptions): Promise<GroupOpenOutcome>;
} {
  const seen: string[] = [];
  const cloudIdOf = (shareTicket: string): Promise<string> =>
    new Promise((resolve, reject) =>
      deps.wx.getShareInfo({
        shareTicket,
        success: (res) => (res.cloudID ? resolve(res.cloudID) : reject(new Error('no cloudID'))),
        fail: reject,
      }),
    );
  return {
    async onEnter(options) {
      const ticket = options?.shareTicket;
      if (!ticket) return 'none';
      if (seen.includes(ticket)) return 'seen';
      if (!isCollecting(deps.wx)) return 'not-collecting';
      seen.push(ticket);
      if (seen.length > MAX_SEEN) seen.shift();
      try {
        const cloudID = await cloudIdOf(ticket);
        const shareId = options?.query?.shareId;
        await deps.api().call('content', {
          action: 'social.group',
          cloudID,
          ...(shareId ? { shareId } : {}),
        });
        return 'sent';
      } catch (err) {
        console.warn('group open not recorded', err);
        return 'failed';
      }
    },
  };
}
