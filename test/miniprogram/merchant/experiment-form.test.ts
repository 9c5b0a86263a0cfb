/** The create-experiment form's check: an ExperimentInput the server accepts, or field messages in Chinese. */
import { checkForm, emptyForm } from '../../../miniprogram/merchant/pages/experiment-new/form';
import type { ExperimentForm } from '../../../miniprogram/merchant/pages/experiment-new/form';
import { experimentInput } from '../../../server/functions/merchant/experiment-schema';

const form = (over: Partial<ExperimentForm> = {}): ExperimentForm => ({ ...emptyForm(), name: '多样性', ...over });

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
    const r = checkForm(form({ parameter: 'ads.slots', variants: [{ name: 'a', weight: 1, value: '4, 11' }, { name: 'b', weight: 1, value: '' }] }));
    expect('input' in r && r.input.variants.map((v) => v.value)).toEqual([[3, 10], []]);
    if ('input' in r) expect(experimentInput.safeParse(r.input).success).toBe(true);
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
    const slots = checkForm(form({ parameter: 'ads.slots', variants: [{ name: 'a', weight: 1, value: '0' }, { name: 'b', weight: 1, value: '3, 3' }] }));
    expect(slots).toEqual({ errors: { variant_0_value: '位置应为 1–50', variant_1_value: '位置不能重复' } });
  });
});
