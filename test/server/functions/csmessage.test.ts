/**
 * The `csmessage` message-push handler (客服消息) on both adapters: entering a session from a
 * contact button is welcomed, a text is answered with the best FAQ answer or handed off, other
 * message types get a hint, the 48-hour reply window and the sender's identity are checked, and
 * WeChat refusing a message is handled (nothing sent, the push still handled).
 */
import type { ApiResult, CsMessageResponse, CsMessageRequest } from '../../../typings';
import csmessage from '../../../server/functions/csmessage';
import { seedDemoFaq } from '../../../server/host/demo-faq';
import { CustomerServiceError, PLATFORM_SCOPE, type OutgoingMessage } from '../../../server/ports';
import { toHandler } from '../../../server/runtime/function';
import { HANDOFF, HINT, WELCOME } from '../../../server/support/message-push';
import { bothAdapters } from '../../helpers/adapters';
import { testDeps, type TestDeps } from '../../helpers/deps';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const handler = toHandler(csmessage);
const NOW = Date.UTC(2026, 11, 5, 2, 0, 0);
const USER = 'o_kefu_user';

const push = (over: Partial<CsMessageRequest> = {}): CsMessageRequest => ({
  ToUserName: 'gh_app',
  FromUserName: USER,
  CreateTime: Math.floor(NOW / 1000) - 5,
  MsgType: 'text',
  Content: '我要退钱',
  MsgId: 1,
  ...over,
});

describe.each(bothAdapters)('csmessage on %s', (_name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  let sent: [string, OutgoingMessage][];
  let refuse: boolean;
  const call = (payload: object, openid = USER): Promise<ApiResult<CsMessageResponse>> =>
    handler({ payload, openid }, deps);
  const ok = async (payload: object): Promise<CsMessageResponse> => {
    const res = await call(payload);
    if (!res.ok) throw new Error(`${res.code}: ${res.message}`);
    return res.data;
  };

  beforeEach(async () => {
    opened = await open();
    await seedDemoFaq(opened.stores, NOW);
    sent = [];
    refuse = false;
    const real = opened.stores.customerService;
    // The real channel, recorded; when `refuse` is set WeChat's 45015 (window closed) is answered.
    const stores = {
      ...opened.stores,
      customerService: {
        send: async (openid: string, m: OutgoingMessage) => {
          if (refuse) throw new CustomerServiceError(45015, 'response out of time limit');
          sent.push([openid, m]);
          await real.send(openid, m);
        },
      },
    };
    deps = testDeps(stores, NOW);
  });
  afterEach(() => opened.cleanup());

  it('answers a text with the best FAQ answer, and logs the ask', async () => {
    const res = await ok(push());
    expect(res.replied).toBe('answer');
    expect(sent).toEqual([[USER, { kind: 'text', text: res.text }]]);
    expect(res.text).toContain('【如何申请退款】');
    expect(res.text).toContain('申请退款');
    const [ask] = await opened.stores.asks.recent(PLATFORM_SCOPE, 0, 5);
    expect(ask).toMatchObject({ id: res.askId, question: '我要退钱', context: 'kefu' });
  });

  it('hands a question no entry matches to a person', async () => {
    const res = await ok(push({ Content: '今天北京天气怎么样' }));
    expect(res).toMatchObject({ replied: 'handoff', text: HANDOFF });
    expect(sent).toEqual([[USER, { kind: 'text', text: HANDOFF }]]);
  });

  it('welcomes a user entering from a contact button, and hints for images and empty texts', async () => {
    expect(
      await ok(
        push({
          MsgType: 'event',
          Event: 'user_enter_tempsession',
          SessionFrom: 'item:i1',
          Content: undefined,
        }),
      ),
    ).toMatchObject({ replied: 'welcome', text: WELCOME });
    expect(
      await ok(push({ MsgType: 'image', Content: undefined, PicUrl: 'https://x/1.jpg' })),
    ).toMatchObject({
      replied: 'hint',
      text: HINT,
    });
    expect(await ok(push({ Content: '\u0000 \u0007' }))).toMatchObject({ replied: 'hint' });
    expect(await ok(push({ MsgType: 'event', Event: 'other' }))).toEqual({ replied: 'none' });
    expect(sent.map(([, m]) => m.text)).toEqual([WELCOME, HINT, HINT]);
  });

  it('cuts a 2,000-character text to the question limit and still answers it', async () => {
    const res = await ok(push({ Content: `我要退钱${'。'.repeat(2000)}` }));
    expect(res.replied).toBe('answer');
  });

  it('sends nothing outside the 48-hour window, for another sender, or when WeChat refuses', async () => {
    expect(await ok(push({ CreateTime: Math.floor(NOW / 1000) - 49 * 3600 }))).toEqual({
      replied: 'none',
    });
    expect((await call(push({ FromUserName: 'someone_else' }))).ok).toBe(false);
    expect((await call({ ...push(), Extra: 1 })).ok).toBe(false);
    refuse = true;
    expect((await ok(push())).replied).toBe('none');
    expect(sent).toEqual([]);
  });
});
