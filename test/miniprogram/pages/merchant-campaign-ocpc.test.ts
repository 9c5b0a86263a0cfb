/**
 * The campaign editor's bidding (issue 17) in miniprogram-simulate with real @vant/weapp: 按订单
 * (oCPC) shows the target per order and turns the bid into a cap per click; the target is checked
 * before sending and sent in fen; an oCPC campaign loads as one, and switching it back to 按点击
 * sends `{ mode: 'cpc' }`.
 */
import { tap, type } from '../merchant/page-helpers';
import { campaign, meOwner, settle, stubMerchant, texts } from '../merchant/campaign-fixtures';
import {
  dom,
  saved,
  step,
  targetingOptions,
  useCampaignEditor,
  type EditorPage,
} from '../merchant/campaign-editor';

const OPTIONS = targetingOptions({ categories: ['美食'], tags: ['火锅'] });

const { open } = useCampaignEditor();

/** Taps the bidding radio named `name` (its icon, as a finger would). */
async function pickBidding(page: EditorPage, name: 'cpc' | 'ocpc'): Promise<void> {
  const icon = page.querySelector(`#rs-ce-bidding-${name}`)?.querySelector('.van-radio__icon-wrap');
  if (!icon) throw new Error(`no radio icon for ${name}`);
  icon.dispatchEvent('tap');
  await settle();
}

const cellTitles = (page: EditorPage): string[] => texts(dom(page), 'van-cell', 'van-cell__title');

describe('campaign editor: bidding', () => {
  it('creates an oCPC campaign: target shown and checked, sent in fen, the bid labelled as a cap', async () => {
    const calls = stubMerchant({
      me: meOwner,
      'targeting.options': OPTIONS,
      'campaign.create': { action: 'campaign.create', campaign: campaign({ id: 'c_new' }) },
    });
    const page = await open();
    expect(page.querySelector('#rs-ce-target')).toBeFalsy();
    expect(cellTitles(page)).toContain('单次点击出价');
    await type(page, 'rs-ce-name', '火锅节推广');
    await type(page, 'rs-ce-title', '火锅节限时八折');
    await type(page, 'rs-ce-landing', 'pages/feed/index');
    await pickBidding(page, 'ocpc');
    expect(page.instance.data.form.biddingMode).toBe('ocpc');
    expect(page.querySelector('#rs-ce-target')).toBeTruthy();
    expect(cellTitles(page)).toEqual(expect.arrayContaining(['目标订单成本', '单次点击出价上限']));
    expect(dom(page).textContent).toContain('仍按点击扣费');
    // ¥50 → ¥0.00 is refused before sending; then ¥48 goes out as 4800 fen.
    await step(page, 'rs-ce-target', 'minus', 50);
    await tap(page, 'rs-ce-save', '.van-button');
    expect(saved(calls)).toEqual([]);
    expect(dom(page).textContent).toContain('目标成本须在 ¥1.00 到 ¥100,000.00 之间');
    await step(page, 'rs-ce-target', 'plus', 48);
    await tap(page, 'rs-ce-save', '.van-button');
    const sent = saved(calls);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      action: 'campaign.create',
      campaign: { bidFen: 50, bidding: { mode: 'ocpc', targetCpaFen: 4800 } },
    });
  });

  it('loads an oCPC campaign as one, and switching back to 按点击 sends cpc', async () => {
    const stored = campaign({
      id: 'c_1',
      revision: 2,
      bidFen: 300,
      bidding: { mode: 'ocpc', targetCpaFen: 5000 },
    });
    const calls = stubMerchant({
      me: meOwner,
      'targeting.options': OPTIONS,
      'campaign.get': { action: 'campaign.get', campaign: stored },
      'campaign.update': { action: 'campaign.update', campaign: { ...stored, revision: 3 } },
    });
    const page = await open({ campaignId: 'c_1' });
    const form = page.instance.data.form;
    expect([form.biddingMode, form.targetYuan, form.bidYuan]).toEqual(['ocpc', '50.00', '3.00']);
    await pickBidding(page, 'cpc');
    expect(page.querySelector('#rs-ce-target')).toBeFalsy();
    await tap(page, 'rs-ce-save', '.van-button');
    expect(saved(calls)).toEqual([
      {
        action: 'campaign.update',
        campaignId: 'c_1',
        patch: { bidding: { mode: 'cpc' } },
        expectedRevision: 2,
      },
    ]);
  });
});
