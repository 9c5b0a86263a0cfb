/**
 * The content-safety check on both adapters: WeChat's msgSecCheck (version 2, the author's openid,
 * the scene) through the real wx-server-sdk with the transport answering as WeChat does, and the
 * local host's stand-in; the same verdicts for the same texts.
 */
import { openCloudStores, type Cloud } from '../../server/adapters/cloud';
import { installCloudTransport } from '../helpers/cloud-transport';
import { openTempSqliteStores } from '../helpers/sqlite-stores';
import { TEST_CLOUD_CONFIG } from '../helpers/blob-key';
import type { ContentSafety } from '../../server/ports';

const transport = installCloudTransport();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cloud = require('wx-server-sdk') as Cloud;
cloud.init({ env: 'test-env' });
afterAll(() => transport.restore());

function describeSafety(
  name: string,
  open: () => Promise<{ safety: ContentSafety; cleanup: () => Promise<void> }>,
) {
  describe(`content safety: ${name}`, () => {
    it('passes ordinary text, holds text a person should see for review, and says risky for the rest', async () => {
      const { safety, cleanup } = await open();
      expect(await safety.check('周末去公园野餐，天气真好', 'o-1', 2)).toBe('pass');
      expect(await safety.check('想要的话私信我', 'o-1', 2)).toBe('review');
      expect(await safety.check('兼职刷单日结', 'o-1', 2)).toBe('risky');
      expect(await safety.check('加 微 信 领红包', 'o-1', 2)).toBe('risky');
      await cleanup();
    });
  });
}

describeSafety('sqlite (the local stand-in)', async () => {
  const { stores, cleanup } = await openTempSqliteStores();
  return { safety: stores.contentSafety, cleanup };
});

describeSafety('cloud (wx-server-sdk, in-memory transport)', async () => {
  transport.reset();
  const stores = openCloudStores(cloud, TEST_CLOUD_CONFIG);
  return { safety: stores.contentSafety, cleanup: () => stores.close() };
});

describe('content safety: what the cloud adapter sends WeChat', () => {
  beforeEach(() => transport.reset());

  it('calls security.msgSecCheck version 2 with the content, the scene and the author', async () => {
    const stores = openCloudStores(cloud, TEST_CLOUD_CONFIG);
    await stores.contentSafety.check('你好 "世界"', 'o-author', 2);
    expect(transport.openapi).toEqual([
      {
        api: 'security.msgSecCheck',
        data: { content: '你好 "世界"', version: 2, scene: 2, openid: 'o-author' },
      },
    ]);
  });

  it('reads a risky verdict given as result.suggest too, and rejects when WeChat refuses the call', async () => {
    const stores = openCloudStores(cloud, TEST_CLOUD_CONFIG);
    transport.msgSecCheck = () => ({
      errcode: 0,
      errmsg: 'ok',
      result: { suggest: 'risky', label: 20002 },
    });
    expect(await stores.contentSafety.check('任何话', 'o-1', 2)).toBe('risky');
    transport.msgSecCheck = () => ({ errcode: 40003, errmsg: 'invalid openid' });
    await expect(stores.contentSafety.check('任何话', 'o-1', 2)).rejects.toThrow();
  });
});
