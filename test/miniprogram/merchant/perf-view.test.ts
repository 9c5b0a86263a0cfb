/** The 性能 page's names: every timing page_perf carries, and the pseudo-pages of launches and packages. */
import { metricName, pageName } from '../../../miniprogram/merchant/pages/perf/view';
import { TIMING_METRICS } from '../../../server/engine/perf/metrics';

describe('perf page names', () => {
  it('names every timing of the event contract in Chinese', () => {
    for (const m of TIMING_METRICS) expect(metricName(m)).toMatch(/[\u4e00-\u9fff]/);
    expect(metricName('call.recommend')).toBe('请求 recommend');
  });

  it('names the launch pseudo-page and the packages perf-collect reports script and package entries under', () => {
    expect(pageName('app')).toBe('小程序（无页面）');
    expect(pageName('package/__APP__')).toBe('主包');
    expect(pageName('package/merchant')).toBe('分包 merchant');
    expect(pageName('pages/detail/index')).toBe('详情');
    expect(pageName('merchant/pages/perf/index')).toBe('merchant/pages/perf/index');
  });
});
