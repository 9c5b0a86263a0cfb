/**
 * 预算用完/即将结束时通知我 on the merchant campaign page (miniprogram-simulate, real vant):
 * offered for a saved campaign only; the tap asks wx.requestSubscribeMessage for both merchant
 * templates, records the answers through `account` subscribe.record and says what happened.
 */
import type { FunctionMap, FunctionName, SubscribeState } from '../../../typings';
import { setApi, type ApiClient } from '../../../miniprogram/services/api';
import { forgetSubscribeTopics } from '../../../miniprogram/services/subscribe';
import { campaign, meOwner, settle, texts } from '../merchant/campaign-fixtures';
import { targetingOptions, useCampaignEditor } from '../merchant/campaign-editor';

const STATE: SubscribeState = {
  topics: [
    { topic: 'reply', templateId: 'tpl-reply', left: 0 },
    { topic: 'budget', templateId: 'tpl-budget', left: 0 },
    { topic: 'ending', templateId: 'tpl-ending', left: 0 },
  ],
};

const { open } = useCampaignEditor();
beforeEach(() => forgetSubscribeTopics());

function stubApi(): unknown[] {
  const accountCalls: unknown[] = [];
  const client: ApiClient = {
    async call<M extends FunctionName>(
      name: M,
      req: FunctionMap[M]['req'],
    ): Promise<FunctionMap[M]['res']> {
      const r = req as { action: string };
      let answer: unknown;
      if (name === 'account') {
        accountCalls.push(req);
        answer = { action: r.action, subscriptions: STATE };
      } else if (r.action === 'me') answer = meOwner;
      else if (r.action === 'targeting.options')
        answer = targetingOptions({ categories: ['美食'], tags: ['火锅'] });
      else if (r.action === 'campaign.get')
        answer = { action: 'campaign.get', campaign: campaign() };
      else throw new Error(`unscripted ${name} ${r.action}`);
      return answer as FunctionMap[M]['res'];
    },
  };
  setApi(client);
  return accountCalls;
}

describe('预算用完/即将结束时通知我', () => {
  it('is not offered while creating a campaign', async () => {
    stubApi();
    const page = await open({});
    expect(page.querySelector('#rs-ce-notify')).toBeFalsy();
  });

  it('asks for both merchant templates in the tap and says which were accepted', async () => {
    const calls = stubApi();
    const asked = jest
      .spyOn(wx, 'requestSubscribeMessage')
      .mockImplementation((opts: WechatMiniprogram.RequestSubscribeMessageOption) => {
        opts.success?.({
          errMsg: 'requestSubscribeMessage:ok',
          'tpl-budget': 'accept',
          'tpl-ending': 'reject',
        } as never);
        return undefined as never;
      });
    const page = await open({ campaignId: 'c_1' });
    const dom = page.dom as HTMLElement;
    expect(texts(dom, 'van-button', 'van-button__text')).toContain('预算用完/即将结束时通知我');
    page.querySelector('#rs-ce-notify')?.querySelector('.van-button')?.dispatchEvent('tap');
    await settle();
    expect(asked).toHaveBeenCalledWith(
      expect.objectContaining({ tmplIds: ['tpl-budget', 'tpl-ending'] }),
    );
    expect(calls).toEqual([
      { action: 'subscribe.get' },
      { action: 'subscribe.record', choices: { budget: 'accept', ending: 'reject' } },
    ]);
    expect(texts(dom, 'campaign-editor', 'rs-ce__notify-text')).toEqual([
      '已订阅：广告预算用完或即将结束时通知你一次',
    ]);
  });
});
