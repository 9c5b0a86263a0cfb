/**
 * 智能客服 end to end through the local host (a child process, as `npm start`): the seeded
 * platform FAQ answers a paraphrase, a verdict is recorded, a simulated customer-service push
 * (what WeChat sends the `csmessage` function) is answered into the local outbox, and a
 * platform admin's CSV import is answered at once and shows up in the report.
 */
import { hostForSuite } from '../helpers/host-process';

const USER = 'e2e_kefu_user';
const ADMIN = 'e2e_kefu_admin';

describe('customer service through the local host', () => {
  const suite = hostForSuite(
    { SEED: '7', TRAIN_EVERY: '0', PLATFORM_ADMINS: ADMIN },
    'recsys-e2e-support-',
  );

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response shapes are asserted by the tests
  const call = async (fn: string, body: unknown, openid = USER): Promise<any> => {
    const res = await fetch(`${suite.base}/api/${fn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-openid': openid },
      body: JSON.stringify(body),
    });
    return res.json();
  };

  it('answers, takes feedback, answers a pushed message, and serves an imported FAQ', async () => {
    const asked = await call('support', { action: 'ask', question: '我要退钱' });
    expect(asked.ok).toBe(true);
    expect(asked.data.answers[0].question).toBe('如何申请退款');
    expect(asked.data.lowConfidence).toBe(false);
    const fb = await call('support', {
      action: 'feedback',
      askId: asked.data.askId,
      verdict: 'helpful',
      faqId: asked.data.answers[0].faqId,
    });
    expect(fb).toEqual({ ok: true, data: { action: 'feedback', recorded: true } });

    const now = Math.floor(Date.now() / 1000);
    const base = { ToUserName: 'gh_local', FromUserName: USER, CreateTime: now };
    const entered = await call('csmessage', {
      ...base,
      MsgType: 'event',
      Event: 'user_enter_tempsession',
      SessionFrom: 'item:i1',
    });
    expect(entered.data.replied).toBe('welcome');
    const pushed = await call('csmessage', {
      ...base,
      MsgType: 'text',
      Content: '推荐可以关闭吗',
      MsgId: 9,
    });
    expect(pushed.data.replied).toBe('answer');
    expect(pushed.data.text).toContain('【怎么关闭个性化推荐】');

    const csv =
      '分类,问题,答案,相似问法\n会员,怎么开通会员,在「我的 → 会员」中开通,会员怎么买|开会员\n';
    expect((await call('support', { action: 'faq.import', csv }, USER)).code).toBe('FORBIDDEN');
    expect(await call('support', { action: 'faq.import', csv }, ADMIN)).toEqual({
      ok: true,
      data: { action: 'faq.import', added: 1 },
    });
    const member = await call('support', { action: 'ask', question: '我想开通会员' });
    expect(member.data.answers[0].question).toBe('怎么开通会员');

    const report = await call('support', { action: 'report' }, ADMIN);
    expect(report.data.report).toMatchObject({ asks: 3, helpful: 1 });
    // The first ask of the fresh host loads the segmenter and builds two indexes: about 4–5 s on
    // a loaded two-core machine, at jest's default limit; a bound of its own, like the host's start.
  }, 30_000);
});
