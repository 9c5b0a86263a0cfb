/**
 * Open data behind a cloudID on both: cloud.getOpenData through the real wx-server-sdk (sent as
 * the open-API call ApiGetOpenDataByCloudId to the transport's WeChat), and the local host's
 * stand-in with its test form. Both refuse a forged cloudID; the cloud also refuses an expired
 * one, another user's, and open data that names no group, as WeChat does.
 */
import { LOCAL_SHARE_INFO_PREFIX } from '../../server/adapters/sqlite/local-open-data';
import { OpenDataRejected, type OpenData } from '../../server/ports';
import { cloudTransport, openTempCloudStores } from '../helpers/adapters';
import { openTempSqliteStores, type OpenedStores } from '../helpers/sqlite-stores';

const refusal = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(OpenDataRejected);
    return (err as OpenDataRejected).code;
  }
  throw new Error('not refused');
};

const FORGED = [
  '27_Ih-9vxDaOhIbh48Bdpk90DUkUoNMAPaNtg7OSGM-P2wPEk1NbspjKGoql_g',
  'tGabc',
  `${LOCAL_SHARE_INFO_PREFIX}`,
  `${LOCAL_SHARE_INFO_PREFIX}a b`,
  `${LOCAL_SHARE_INFO_PREFIX}${'x'.repeat(65)}`,
];

describe.each([
  ['local stand-in', openTempSqliteStores],
  ['cloud (wx-server-sdk, in-memory WeChat)', openTempCloudStores],
] as [string, () => Promise<OpenedStores>][])('open data: %s', (_name, open) => {
  let opened: OpenedStores;
  let openData: OpenData;
  beforeEach(async () => {
    opened = await open();
    openData = opened.stores.openData;
  });
  afterEach(() => opened.cleanup());

  it.each(FORGED)('refuses the forged cloudID %s as invalid', async (id) => {
    expect(await refusal(openData.shareGroup(id))).toBe('INVALID');
  });
});

describe('open data: local stand-in', () => {
  it('resolves its documented test form to the openGId', async () => {
    const opened = await openTempSqliteStores();
    try {
      expect(await opened.stores.openData.shareGroup(`${LOCAL_SHARE_INFO_PREFIX}tG_abc-1`)).toBe(
        'tG_abc-1',
      );
    } finally {
      await opened.cleanup();
    }
  });
});

describe('open data: cloud', () => {
  let opened: OpenedStores;
  const caller = process.env.WX_OPENID;
  beforeEach(async () => {
    opened = await openTempCloudStores();
    process.env.WX_OPENID = 'u_opener';
  });
  afterEach(async () => {
    if (caller === undefined) delete process.env.WX_OPENID;
    else process.env.WX_OPENID = caller;
    jest.useRealTimers();
    await opened.cleanup();
  });

  it("resolves the caller's fresh share info to its openGId", async () => {
    const id = cloudTransport()!.openData.issueShareInfo('u_opener', 'tGgroupA');
    expect(await opened.stores.openData.shareGroup(id)).toBe('tGgroupA');
  });

  it("refuses another user's cloudID", async () => {
    const id = cloudTransport()!.openData.issueShareInfo('u_someone_else', 'tGgroupA');
    expect(await refusal(opened.stores.openData.shareGroup(id))).toBe('NOT_CALLER');
  });

  it('refuses an expired cloudID', async () => {
    const t = cloudTransport()!;
    const id = t.openData.issueShareInfo('u_opener', 'tGgroupA');
    const ttl = t.openData.ttlMs;
    t.openData.ttlMs = -1;
    try {
      expect(await refusal(opened.stores.openData.shareGroup(id))).toBe('EXPIRED');
    } finally {
      t.openData.ttlMs = ttl;
    }
  });

  it('refuses open data that names no group (a 微信运动 cloudID)', async () => {
    const id = cloudTransport()!.openData.issueWeRun('u_opener');
    expect(await refusal(opened.stores.openData.shareGroup(id))).toBe('NOT_GROUP');
  });
});
