/**
 * `callAction`: one action of an action-based function through the app-wide client, answered with
 * that action's response; an answer naming another action is refused (shown as the generic
 * failure), and the server's own refusals pass through as they came.
 */
import type { MerchantResponse } from '../../../typings';
import { callAction, setApi } from '../../../miniprogram/services/api';
import { ApiError, toApiError } from '../../../miniprogram/services/api-error';
import { stubFunction } from '../helpers/stub-api';

const ME: MerchantResponse = { action: 'me', admin: true, membership: null, merchant: null };

afterEach(() => setApi(null));

describe('callAction', () => {
  it("sends the request and returns the action's answer", async () => {
    const calls = stubFunction('merchant', () => ME);
    const me = await callAction('merchant', { action: 'me' });
    expect(me.admin).toBe(true); // typed as the `me` answer: no narrowing needed
    expect(calls).toEqual([{ action: 'me' }]);
  });

  it('refuses an answer naming another action, shown as the generic failure', async () => {
    stubFunction('merchant', () => ME);
    const err = await callAction('merchant', { action: 'campaign.list' }).catch((e) => e);
    expect(err).toEqual(new Error('unexpected answer'));
    expect(toApiError(err)).toMatchObject({ code: 'INTERNAL', message: '出了点问题，请稍后重试' });
  });

  it("passes the server's refusal through", async () => {
    stubFunction(
      'merchant',
      () => new ApiError('FORBIDDEN', '你还不是商家成员，请先使用邀请码加入商家'),
    );
    await expect(callAction('merchant', { action: 'campaign.list' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: '你还不是商家成员，请先使用邀请码加入商家',
    });
  });
});
