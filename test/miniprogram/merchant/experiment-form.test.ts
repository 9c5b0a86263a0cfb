/** The create-experiment form's check: an ExperimentInput the server accepts, or field messages in Chinese. */
import {
  blankCreative,
  checkForm,
  emptyForm,
  variantFieldOf,
  withCampaign,
} from '../../../miniprogram/merchant/pages/experiment-new/form';
import type { ExperimentForm } from '../../../miniprogram/merchant/pages/experiment-new/form';
import { experimentInput } from '../../../server/functions/merchant/experiment-schema';

const form = (over: Partial<ExperimentForm> = {}): ExperimentForm => ({
  ...emptyForm(),
  name: '多样性',
  ...over,
});

describe('experiment form', () => {
  it('turns a filled form into an input the server schema accepts', () => {
    const r = checkForm(
      form({
        variants: [
          { name: 'control', weight: 1, value: '0.2' },
          { name: 'more', weight: 3, value: '.5' },
        ],
        targetMetric: 'ctr',
        guardrails: ['ctr', 'paid_per_user'],
      }),
    );
    expect(r).toEqual({
      input: {
        name: '多样性',
        parameter: 'feed.diversity',
        trafficPercent: 10,
        variants: [
          { name: 'control', weight: 1, value: 0.2 },
          { name: 'more', weight: 3, value: 0.5 },
        ],
        targetMetric: 'ctr',
        guardrails: ['paid_per_user'],
      },
    });
    if ('input' in r) expect(experimentInput.safeParse(r.input).success).toBe(true);
  });

  it('takes ad positions 1-based as people count cards and sends them 0-based', () => {
    const r = checkForm(
      form({
        parameter: 'ads.slots',
        variants: [
          { name: 'a', weight: 1, value: '4, 11' },
          { name: 'b', weight: 1, value: '' },
        ],
      }),
    );
    expect('input' in r && r.input.variants.map((v) => v.value)).toEqual([[3, 10], []]);
    if ('input' in r) expect(experimentInput.safeParse(r.input).success).toBe(true);
  });

  it('takes a prefetch policy by name for feed.prefetch, and refuses anything else', () => {
    const ok = checkForm(
      form({
        parameter: 'feed.prefetch',
        variants: [
          { name: 'a', weight: 1, value: 'position' },
          { name: 'b', weight: 1, value: ' learned ' },
        ],
      }),
    );
    expect('input' in ok && ok.input.variants.map((v) => v.value)).toEqual(['position', 'learned']);
    if ('input' in ok) expect(experimentInput.safeParse(ok.input).success).toBe(true);
    const bad = checkForm(
      form({
        parameter: 'feed.prefetch',
        variants: [
          { name: 'a', weight: 1, value: 'off' },
          { name: 'b', weight: 1, value: '0.5' },
        ],
      }),
    );
    expect(bad).toEqual({ errors: { variant_1_value: '应为 off、position 或 learned 之一' } });
  });

  it('names each wrong field', () => {
    const r = checkForm(
      form({
        name: ' ',
        trafficPercent: 0,
        parameter: 'feed.explore',
        variants: [
          { name: 'a b', weight: 1, value: '1.5' },
          { name: 'x', weight: 0, value: '0.1' },
          { name: 'x', weight: 1, value: 'abc' },
        ],
      }),
    );
    expect(r).toEqual({
      errors: {
        name: '名称不能为空',
        trafficPercent: '流量比例应为 1–100 的整数',
        variant_0_name: '变体名应为 1–32 位字母、数字、下划线或连字符',
        variant_0_value: '应为 0–1 之间的数，如 0.3',
        variant_1_weight: '权重应为 1–1000 的整数',
        variant_2_name: '变体名不能重复',
        variant_2_value: '应为 0–1 之间的数，如 0.3',
      },
    });
    const slots = checkForm(
      form({
        parameter: 'ads.slots',
        variants: [
          { name: 'a', weight: 1, value: '0' },
          { name: 'b', weight: 1, value: '3, 3' },
        ],
      }),
    );
    expect(slots).toEqual({
      errors: { variant_0_value: '位置应为 1–50', variant_1_value: '位置不能重复' },
    });
  });

  describe('creative test', () => {
    const current = {
      title: '火锅节限时八折',
      description: '到店立减 20 元',
      image: 'cloud://env-1.bucket/ads/hotpot.jpg',
      landing: { kind: 'item' as const, itemId: 'item-1' },
    };
    const creativeForm = (): ExperimentForm => {
      const f = withCampaign(form({ parameter: 'ad.creative', trafficPercent: 100 }), {
        id: 'c_1',
        creative: current,
      });
      return {
        ...f,
        variants: [
          f.variants[0],
          {
            name: 'b',
            weight: 1,
            value: '',
            creative: {
              ...blankCreative(),
              title: ' 第二份半价 ',
              landingPath: 'pages/feed/index',
            },
          },
        ],
      };
    };

    it('makes an input the server schema accepts: the campaign, its creative as control, CTR and no guardrails', () => {
      const r = checkForm(creativeForm());
      if (!('input' in r)) throw new Error(JSON.stringify(r.errors));
      expect(r.input).toEqual({
        name: '多样性',
        parameter: 'ad.creative',
        campaignId: 'c_1',
        trafficPercent: 100,
        targetMetric: 'ctr',
        guardrails: [],
        variants: [
          { name: 'control', weight: 1, value: current },
          {
            name: 'b',
            weight: 1,
            value: {
              title: '第二份半价',
              description: '',
              image: '',
              landing: { kind: 'page', path: 'pages/feed/index' },
            },
          },
        ],
      });
      expect(experimentInput.safeParse(r.input).success).toBe(true);
    });

    it('sends the money kept as target and the gross revenue as guardrail, which the server schema accepts; never likes', () => {
      const r = checkForm({
        ...creativeForm(),
        targetMetric: 'net_paid_per_user',
        guardrails: ['paid_per_user', 'likes_per_impression', 'net_paid_per_user'],
      });
      if (!('input' in r)) throw new Error(JSON.stringify(r.errors));
      expect(r.input).toMatchObject({
        targetMetric: 'net_paid_per_user',
        guardrails: ['paid_per_user'],
      });
      expect(experimentInput.safeParse(r.input).success).toBe(true);
    });

    it('names the campaign, each creative field and a repeated creative, and at most four creatives', () => {
      const f = creativeForm();
      const bad = {
        ...f,
        campaignId: '',
        variants: [
          ...f.variants,
          {
            name: 'c',
            weight: 1,
            value: '',
            creative: { ...blankCreative(), title: '长'.repeat(31), landingKind: 'item' as const },
          },
          { name: 'd', weight: 1, value: '', creative: { ...f.variants[0].creative! } },
        ],
      };
      expect(checkForm(bad)).toEqual({
        errors: {
          campaignId: '请选择要测试创意的广告计划',
          variant_2_creative_title: '标题最多 30 字',
          variant_2_creative_landing: '请填写落地内容的 ID',
          variant_3_creative_title: '和前面的创意完全相同，请至少改动一项',
        },
      });
      const five = {
        ...f,
        variants: ['a', 'b', 'c', 'd', 'e'].map((n) => ({
          name: n,
          weight: 1,
          value: '',
          creative: { ...blankCreative(), title: n, landingPath: 'pages/feed/index' },
        })),
      };
      expect(checkForm(five)).toEqual({ errors: { variants: '最多 4 个创意' } });
    });
  });

  it("names the form field of a server path into a variant's creative, and nothing else", () => {
    expect(variantFieldOf('experiment.variants.1.value.landing')).toBe(
      'variant_1_creative_landing',
    );
    expect(variantFieldOf('experiment.variants.2.value.landing.itemId')).toBe(
      'variant_2_creative_landing',
    );
    expect(variantFieldOf('experiment.variants.3.value.image')).toBe('variant_3_creative_image');
    for (const other of [
      'experiment.variants.1.weight',
      'experiment.variants.1.value.imageUrl',
      'experiment.name',
      'variants.1.value.landing',
    ])
      expect(variantFieldOf(other)).toBeNull();
  });
});
