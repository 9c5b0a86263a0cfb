/** A share opened in a group chat: the share info's cloudID goes to content social.group, once, only while collecting. */
import type { ContentRequest } from '../../../typings';
import { CONSENT_RECORDED_KEY } from '../../../miniprogram/services/consent';
import { createGroupOpens, type GroupOpenWx } from '../../../miniprogram/services/group-open';

function setup(opts: { consented?: boolean; shareInfo?: { cloudID?: string } | 'fail' } = {}) {
  const store = new Map<string, unknown>();
  if (opts.consented !== false) store.set(CONSENT_RECORDED_KEY, '2026-11');
  const tickets: string[] = [];
  const wx: GroupOpenWx = {
    getStorageSync: (k) => store.get(k) ?? '',
    setStorageSync: (k, v) => void store.set(k, v),
    removeStorageSync: (k) => void store.delete(k),
    getShareInfo: ({ shareTicket, success, fail }) => {
      tickets.push(shareTicket);
      const info = opts.shareInfo ?? { cloudID: `cloud-${shareTicket}` };
      if (info === 'fail') fail?.({ errMsg: 'getShareInfo:fail' });
      else success(info);
    },
  };
  const calls: ContentRequest[] = [];
  let answer: () => Promise<unknown> = async () => ({ action: 'social.group', joined: true });
  const api = {
    call: async (name: string, req: unknown) => {
      expect(name).toBe('content');
      calls.push(req as ContentRequest);
      return answer();
    },
  } as never;
  const opens = createGroupOpens({ wx, api: () => api });
  return { opens, calls, tickets, store, fail: (e: Error) => (answer = () => Promise.reject(e)) };
}

describe('group opens', () => {
  beforeEach(() => jest.spyOn(console, 'warn').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('sends the cloudID and the opened share once per ticket', async () => {
    const { opens, calls, tickets } = setup();
    const options = { shareTicket: 't1', query: { shareId: 'share-9', itemId: 'i1' } };
    expect(await opens.onEnter(options)).toBe('sent');
    // onShow of the same cold start: already reported.
    expect(await opens.onEnter(options)).toBe('seen');
    expect(calls).toEqual([{ action: 'social.group', cloudID: 'cloud-t1', shareId: 'share-9' }]);
    expect(tickets).toEqual(['t1']);
    expect(await opens.onEnter({ shareTicket: 't2', query: {} })).toBe('sent');
    expect(calls[1]).toEqual({ action: 'social.group', cloudID: 'cloud-t2' });
  });

  it('does nothing without a shareTicket (a chat or 朋友圈 open, a plain launch)', async () => {
    const { opens, calls, tickets } = setup();
    expect(await opens.onEnter({ query: { shareId: 's' } })).toBe('none');
    expect(await opens.onEnter(undefined)).toBe('none');
    expect(calls).toEqual([]);
    expect(tickets).toEqual([]);
  });

  it('sends nothing while the device does not collect, and tries again on a later show', async () => {
    const s = setup({ consented: false });
    expect(await s.opens.onEnter({ shareTicket: 't1' })).toBe('not-collecting');
    expect(s.calls).toEqual([]);
    expect(s.tickets).toEqual([]);
    s.store.set(CONSENT_RECORDED_KEY, '2026-11');
    expect(await s.opens.onEnter({ shareTicket: 't1' })).toBe('sent');
  });

  it('swallows a refused share info or a refusal from the server', async () => {
    expect(await setup({ shareInfo: 'fail' }).opens.onEnter({ shareTicket: 't' })).toBe('failed');
    expect(await setup({ shareInfo: {} }).opens.onEnter({ shareTicket: 't' })).toBe('failed');
    const s = setup();
    s.fail(Object.assign(new Error('群聊信息无效'), { code: 'INVALID_INPUT' }));
    expect(await s.opens.onEnter({ shareTicket: 't' })).toBe('failed');
    // Reported once: a refused ticket is not sent again.
    expect(await s.opens.onEnter({ shareTicket: 't' })).toBe('seen');
    expect(s.calls).toHaveLength(1);
  });
});
