/** Configuration: defaults, environment reads, and one validation step with a clear error. */
import { ConfigError, loadConfig } from '../../server/config';

describe('loadConfig', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', allowRemote: false, seedDemo: true, trackSampling: {}, logRequests: true });
    expect(c.dataDir).toMatch(/\.data$/);
  });

  it('reads the environment', () => {
    const c = loadConfig({ PORT: '0', HOST: '::1', ALLOW_REMOTE: 'yes', SEED_DEMO: '0', TRACK_SAMPLING: 'page_perf=0.1, dwell=0.5' });
    expect(c).toMatchObject({ port: 0, host: '::1', allowRemote: true, seedDemo: false, trackSampling: { page_perf: 0.1, dwell: 0.5 } });
  });

  it('names what is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/port/);
    expect(() => loadConfig({ TRACK_SAMPLING: 'dwell=2' })).toThrow(/trackSampling\.dwell/);
    expect(() => loadConfig({ TRACK_SAMPLING: 'dwell' })).toThrow(/trackSampling\.dwell/);
  });
});
