/** Configuration: defaults, environment reads, and one validation step with a clear error. */
import { blobKeyBytes, ConfigError, loadConfig } from '../../server/config';

describe('loadConfig', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      allowRemote: false,
      seedDemo: true,
      trackSampling: {},
      logRequests: true,
    });
    expect(c.dataDir).toMatch(/\.data$/);
  });

  it('keeps simulated users in a store of their own unless DATA_DIR says otherwise', () => {
    // Their events are stamped on a faster clock: a plain start must not meet them.
    expect(loadConfig({ SIMULATE: '1' }).dataDir).toMatch(/\.data[/\\]simulate$/);
    expect(loadConfig({ SIMULATE: '1', DATA_DIR: '/tmp/x' }).dataDir).toBe('/tmp/x');
    expect(loadConfig({ SIMULATE: '0' }).dataDir).toMatch(/\.data$/);
  });

  it('reads the environment', () => {
    const c = loadConfig({
      PORT: '0',
      HOST: '::1',
      ALLOW_REMOTE: 'yes',
      SEED_DEMO: '0',
      TRACK_SAMPLING: 'page_perf=0.1, dwell=0.5',
    });
    expect(c).toMatchObject({
      port: 0,
      host: '::1',
      allowRemote: true,
      seedDemo: false,
      trackSampling: { page_perf: 0.1, dwell: 0.5 },
    });
  });

  it('names what is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/port/);
    expect(() => loadConfig({ TRACK_SAMPLING: 'dwell=2' })).toThrow(/trackSampling\.dwell/);
    expect(() => loadConfig({ TRACK_SAMPLING: 'dwell' })).toThrow(/trackSampling\.dwell/);
  });

  it('takes a 32-byte base64 blob encryption key, and the cloud adapter needs one', () => {
    const key = Buffer.alloc(32, 0xfb);
    expect(
      blobKeyBytes(loadConfig({ BLOB_ENCRYPTION_KEY: ` ${key.toString('base64')}\n` })).equals(key),
    ).toBe(true);
    expect(
      blobKeyBytes(loadConfig({ BLOB_ENCRYPTION_KEY: key.toString('base64url') })).equals(key),
    ).toBe(true);
    // Optional for the local host; refused by what needs it, saying how to make one.
    expect(loadConfig({}).blobEncryptionKey).toBe('');
    expect(() => blobKeyBytes(loadConfig({}))).toThrow(ConfigError);
    expect(() => blobKeyBytes(loadConfig({}))).toThrow(
      /BLOB_ENCRYPTION_KEY is not set.*openssl rand -base64 32/,
    );
    for (const bad of [
      Buffer.alloc(16).toString('base64'),
      Buffer.alloc(33).toString('base64'),
      'not a key',
      `${key.toString('hex')}`,
    ]) {
      expect(() => loadConfig({ BLOB_ENCRYPTION_KEY: bad })).toThrow(
        /blobEncryptionKey: BLOB_ENCRYPTION_KEY must be 32 bytes in base64/,
      );
    }
  });

  it('takes SCENE from the four scenes, general by default, and names them when it is unknown', () => {
    expect(loadConfig({}).scene).toBe('general');
    expect(loadConfig({ SCENE: '' }).scene).toBe('general');
    for (const scene of ['general', 'finance', 'travel', 'support'])
      expect(loadConfig({ SCENE: ` ${scene} ` }).scene).toBe(scene);
    for (const bad of ['Finance', 'shopping', 'travel,finance'])
      expect(() => loadConfig({ SCENE: bad })).toThrow(
        /scene: SCENE must be one of general, finance, travel, support/,
      );
  });
});
