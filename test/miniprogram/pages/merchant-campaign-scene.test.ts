/**
 * The campaign editor and the deployment's scene (miniprogram-simulate, real @vant/weapp): under
 * 旅游出行 / 金融理财 the scene's categories come first and the other interests are marked, a Vant
 * notice warns while the targeting would not serve here and goes once it would, and the server's
 * refusal lands under 兴趣; under 综合 nothing of this shows. A stored campaign outside the scene
 * still loads (with the notice).
 */
import { ApiError } from '../../../miniprogram/services/api-error';
import { type } from '../merchant/page-helpers';
import { campaign, meOwner, settle, stubMerchant, texts } from '../merchant/campaign-fixtures';
import {
  SCENES,
  dom,
  saved,
  tapChip,
  targetingOptions,
  useCampaignEditor,
  type EditorPage,
} from '../merchant/campaign-editor';

const VOCABULARY = { categories: ['美食', '旅行', '理财'], tags: ['火锅', '露营'] };

const { open } = useCampaignEditor();

const chips = (page: EditorPage): string[] =>
  texts(dom(page), 'campaign-editor', 'rs-ce__chip').slice(0, 5);
const offChips = (page: EditorPage): string[] =>
  texts(dom(page), 'campaign-editor', 'rs-ce__chip--off');
/** The scene notice's text ('' when it is not shown; the only notice bar of an editable form). */
const notice = (page: EditorPage): string =>
  texts(dom(page), 'van-notice-bar', 'van-notice-bar__content').join('');
const hint = (page: EditorPage): string[] =>
  texts(dom(page), 'campaign-editor', 'rs-ce__scene-hint');
const interestError = (page: EditorPage): string[] =>
  Array.from(dom(page).querySelectorAll('.campaign-editor--rs-ce__error'))
    .map((el) => el.textContent?.trim() ?? '')
    .filter(Boolean);

describe('campaign editor under a scene that serves only its categories', () => {
  it("puts 旅游出行's category first, marks the others, and warns until it is chosen", async () => {
    stubMerchant({ me: meOwner, 'targeting.options': targetingOptions(VOCABULARY, SCENES.travel) });
    const page = await open();
    expect(chips(page)).toEqual(['旅行', '美食', '理财', '火锅', '露营']);
    expect(offChips(page)).toEqual(['美食', '理财', '火锅', '露营']);
    expect(hint(page)).toEqual([
      '本小程序为「旅游出行」场景：兴趣须包含“旅行”，广告才会展示；灰色的选项单独选择不会展示',
    ]);
    expect(notice(page)).toContain('只投放与“旅行”相关的广告。请在兴趣中选择“旅行”');

    await tapChip(page, '美食');
    expect(notice(page)).toContain('请在兴趣中选择“旅行”');
    await tapChip(page, '旅行');
    expect(notice(page)).toBe('');
    expect(page.querySelector('#rs-ce-scene-warning')).toBeFalsy();
    await tapChip(page, '旅行');
    expect(notice(page)).toContain('请在兴趣中选择“旅行”');
  });

  it('says a landing on content may still serve, and leaves the verdict to the server', async () => {
    stubMerchant({ me: meOwner, 'targeting.options': targetingOptions(VOCABULARY, SCENES.travel) });
    const page = await open();
    // 落地方式: 内容 (its radio's icon, as a finger would tap it).
    page
      .querySelector('#rs-ce-landing-item')
      ?.querySelector('.van-radio__icon-wrap')
      ?.dispatchEvent('tap');
    await settle();
    expect(page.instance.data.form.landingKind).toBe('item');
    expect(notice(page)).toContain('兴趣定向未包含“旅行”，只有落地内容属于这些分类时才会展示');
  });

  it("shows the server's refusal under 兴趣 and keeps the form", async () => {
    const calls = stubMerchant({
      me: meOwner,
      'targeting.options': targetingOptions(VOCABULARY, SCENES.travel),
      'campaign.create': new ApiError(
        'INVALID_INPUT',
        '请求参数有误：campaign.targeting.interestTags: 本小程序当前为「旅游出行」场景，只投放与“旅行”相关的广告，这个计划不会被展示；请在兴趣定向中选择“旅行”（或落地到这些分类的内容）',
      ),
    });
    const page = await open();
    await type(page, 'rs-ce-name', '火锅节推广');
    await type(page, 'rs-ce-title', '火锅节限时八折');
    await type(page, 'rs-ce-landing', 'pages/feed/index');
    await tapChip(page, '火锅');
    page.querySelector('#rs-ce-save')?.querySelector('.van-button')?.dispatchEvent('tap');
    await settle();
    expect(saved(calls)).toHaveLength(1);
    expect(interestError(page)).toEqual([
      '本小程序当前为「旅游出行」场景，只投放与“旅行”相关的广告，这个计划不会被展示；请在兴趣定向中选择“旅行”（或落地到这些分类的内容）',
    ]);
    expect(page.instance.data.form.interestTags).toEqual(['火锅']);
  });

  it('loads a campaign stored outside the scene, with the notice', async () => {
    stubMerchant({
      me: meOwner,
      'targeting.options': targetingOptions(VOCABULARY, SCENES.finance),
      'campaign.get': { action: 'campaign.get', campaign: campaign({ id: 'c_1' }) },
    });
    const page = await open({ campaignId: 'c_1' });
    expect(page.instance.data.status).toBe('ready');
    expect(page.instance.data.form.interestTags).toEqual(['美食']);
    // 财经 is not in the catalog's vocabulary: only 理财 can be offered first.
    expect(chips(page).slice(0, 2)).toEqual(['理财', '美食']);
    expect(notice(page)).toContain('「金融理财」场景，只投放与“理财”或“财经”相关的广告');
  });

  it('does not warn about a risk-rated product in 金融理财', async () => {
    stubMerchant({
      me: meOwner,
      'targeting.options': targetingOptions(VOCABULARY, SCENES.finance),
      'campaign.get': { action: 'campaign.get', campaign: campaign({ id: 'c_1', riskLevel: 2 }) },
    });
    const page = await open({ campaignId: 'c_1' });
    expect(page.instance.data.status).toBe('ready');
    expect(notice(page)).toBe('');
  });
});

describe('campaign editor under 综合', () => {
  it('offers every interest in the catalog order, unmarked, with no notice or hint', async () => {
    stubMerchant({ me: meOwner, 'targeting.options': targetingOptions(VOCABULARY) });
    const page = await open();
    expect(chips(page)).toEqual(['美食', '旅行', '理财', '火锅', '露营']);
    expect(offChips(page)).toEqual([]);
    expect(hint(page)).toEqual([]);
    expect(notice(page)).toBe('');
  });

  it('warns about nothing when the options could not be read (the server still decides)', async () => {
    stubMerchant({
      me: meOwner,
      'targeting.options': new ApiError('UNAVAILABLE', '服务暂时不可用'),
    });
    const page = await open();
    expect(page.instance.data.status).toBe('ready');
    expect(notice(page)).toBe('');
  });
});
