/**
 * Subscription messages on both adapters: the Subscriptions store's contract (one accepted send
 * per accept, capped; a send key takes a quota once, even retried or raced; finish marks it done;
 * export and erasure cover it), and the channel: the cloud one through the real wx-server-sdk's
 * openapi.subscribeMessage.send with WeChat's refusals, the local stand-in with its outbox.
 */
import { openCloudStores, type Cloud } from '../../server/adapters/cloud';
import type { LocalSubscribeMessages } from '../../server/adapters/sqlite/local-subscribe';
import { openSqliteStoresAt } from '../../server/adapters/sqlite';
import { SubscribeMessageError, type Stores } from '../../server/ports';
import { MAX_QUOTA } from '../../server/ports/subscriptions';
import { TEST_CLOUD_CONFIG } from '../helpers/blob-key';
import { installCloudTransport } from '../helpers/cloud-transport';
import { describeIndexCoverage } from '../helpers/index-coverage';
import { openTempSqliteStores } from '../helpers/sqlite-stores';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const transport = installCloudTransport();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cloud = require('wx-server-sdk') as Cloud;
cloud.init({ env: 'test-env' });
afterAll(() => transport.restore());

const adapters: [string, () => Promise<{ stores: Stores; cleanup: () => Promise<void> }>][] = [
  ['sqlite', () => openTempSqliteStores()],
  [
    'cloud (wx-server-sdk, in-memory transport)',
    async () => {
      transport.reset();
      const stores = openCloudStores(cloud, TEST_CLOUD_CONFIG);
      return { stores, cleanup: () => stores.close() };
    },
  ],
];

describe.each(adapters)('subscriptions contract: %s', (_name, open) => {
  let s: Stores;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ stores: s, cleanup } = await open());
  });
  afterEach(() => cleanup());

  it('counts one send per accept, per user and template', async () => {
    expect(await s.subscriptions.quotas('u1')).toEqual({});
    expect(await s.subscriptions.grant('u1', ['tA', 'tB'], 1)).toEqual({ tA: 1, tB: 1 });
    expect(await s.subscriptions.grant('u1', ['tA'], 2)).toEqual({ tA: 2 });
    expect(await s.subscriptions.quotas('u1')).toEqual({ tA: 2, tB: 1 });
    expect(await s.subscriptions.quotas('u2')).toEqual({});
  });

  it('caps the unused sends kept per template', async () => {
    for (let i = 0; i < MAX_QUOTA + 3; i++) await s.subscriptions.grant('u1', ['tA'], i);
    expect(await s.subscriptions.quotas('u1')).toEqual({ tA: MAX_QUOTA });
  });

  it('never takes without an accepted send', async () => {
    expect(await s.subscriptions.take('u1', 'tA', 'k1', 5)).toBe('none');
    await s.subscriptions.grant('u1', ['tB'], 1);
    expect(await s.subscriptions.take('u1', 'tA', 'k1', 5)).toBe('none');
    expect(await s.subscriptions.quotas('u1')).toEqual({ tB: 1 });
  });

  it('takes once per send key: a retry is pending until finished, then done', async () => {
    await s.subscriptions.grant('u1', ['tA'], 1);
    await s.subscriptions.grant('u1', ['tA'], 2);
    expect(await s.subscriptions.take('u1', 'tA', 'k1', 5)).toBe('taken');
    expect(await s.subscriptions.take('u1', 'tA', 'k1', 6)).toBe('pending');
    expect(await s.subscriptions.quotas('u1')).toEqual({ tA: 1 });
    await s.subscriptions.finish('u1', 'k1', 'sent');
    expect(await s.subscriptions.take('u1', 'tA', 'k1', 7)).toBe('done');
    await s.subscriptions.finish('u1', 'k1', 'refused:43101'); // a first outcome is kept
    expect(await s.subscriptions.take('u1', 'tA', 'k2', 8)).toBe('taken');
    expect(await s.subscriptions.take('u1', 'tA', 'k3', 9)).toBe('none');
    expect(await s.subscriptions.quotas('u1')).toEqual({});
  });

  it('takes one quota when the same send races itself', async () => {
    await s.subscriptions.grant('u1', ['tA'], 1);
    await s.subscriptions.grant('u1', ['tA'], 1);
    const got = await Promise.all([1, 2, 3].map(() => s.subscriptions.take('u1', 'tA', 'k', 5)));
    expect(got.filter((g) => g === 'taken')).toHaveLength(1);
    // The others answer 'pending' (or 'none' while the loser gives its quota back): never a second send.
    expect(await s.subscriptions.quotas('u1')).toEqual({ tA: 1 });
  });

  it("exports and erases the user's quotas and sends, and nobody else's", async () => {
    await s.subscriptions.grant('u1', ['tA', 'tB'], 1);
    await s.subscriptions.grant('u2', ['tA'], 1);
    await s.subscriptions.take('u1', 'tA', 'reply:c1', 5);
    const names = s.personal.collections.filter((c) => /subscription/i.test(c));
    expect(names).toHaveLength(2);
    const read = async (who: string) =>
      (await Promise.all(names.map((c) => s.personal.read(c, who, null, 50)))).flatMap(
        (p) => p.records,
      );
    const mine = JSON.stringify(await read('u1'));
    expect(mine).toContain('tB');
    expect(mine).toContain('reply:c1');
    for (const c of names) while ((await s.personal.erase(c, 'u1', 10)) > 0);
    expect(await read('u1')).toEqual([]);
    expect(await s.subscriptions.quotas('u1')).toEqual({});
    expect(await s.subscriptions.take('u1', 'tB', 'k9', 6)).toBe('none');
    expect(await s.subscriptions.quotas('u2')).toEqual({ tA: 1 });
  });
});

const message = (templateId: string, title = '成都三日游') => ({
  touser: 'o-user-1',
  templateId,
  page: 'pages/detail/index?id=i1',
  data: {
    thing1: { value: title },
    thing2: { value: '好看' },
    time3: { value: '2026-12-06 08:00' },
  },
});

describe('subscription messages: cloud (wx-server-sdk, in-memory transport)', () => {
  beforeEach(() => transport.reset());

  it('sends through the open API, snake-cased as WeChat receives it, using the accepted send', async () => {
    const stores = openCloudStores(cloud, TEST_CLOUD_CONFIG);
    transport.subscribe.templates.set('tpl-reply', ['thing1', 'thing2', 'time3']);
    transport.subscribe.accept('o-user-1', 'tpl-reply');
    await stores.subscribeMessages.send(message('tpl-reply'));
    expect(transport.openapi).toEqual([
      {
        api: 'subscribeMessage.send',
        data: {
          touser: 'o-user-1',
          template_id: 'tpl-reply',
          page: 'pages/detail/index?id=i1',
          data: message('tpl-reply').data,
          miniprogram_state: 'formal',
        },
      },
    ]);
    expect(transport.subscribe.quotaOf('o-user-1', 'tpl-reply')).toBe(0);
  });

  it("rejects with WeChat's errcodes: 43101 no accepted send, 47003 bad data, 40037 unknown template", async () => {
    const stores = openCloudStores(cloud, TEST_CLOUD_CONFIG);
    transport.subscribe.templates.set('tpl-reply', ['thing1', 'thing2', 'time3']);
    const refused = (p: Promise<void>, errcode: number) =>
      expect(p).rejects.toEqual(
        expect.objectContaining({ errcode, name: 'SubscribeMessageError' }),
      );
    await refused(stores.subscribeMessages.send(message('tpl-reply')), 43101);
    transport.subscribe.accept('o-user-1', 'tpl-reply');
    await refused(stores.subscribeMessages.send(message('tpl-reply', '一'.repeat(21))), 47003);
    await refused(stores.subscribeMessages.send(message('tpl-other')), 40037);
    expect(transport.subscribe.quotaOf('o-user-1', 'tpl-reply')).toBe(1); // refusals used nothing
    await stores.subscribeMessages.send(message('tpl-reply'));
    await refused(stores.subscribeMessages.send(message('tpl-reply')), 43101); // one accept = one send
    expect(transport.subscribe.delivered).toHaveLength(1);
  });
});

describe('subscription messages: the local stand-in', () => {
  it('keeps what WeChat would deliver and refuses as WeChat does', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'subscribe-'));
    const stores = openSqliteStoresAt(path.join(dir, 'db.sqlite'), path.join(dir, 'blobs'), {
      subscribeTemplates: { reply: 'tpl-reply', budget: '', ending: '' },
    });
    const local = stores.subscribeMessages as LocalSubscribeMessages;
    await local.send(message('tpl-reply'));
    await expect(local.send(message('tpl-reply', ''))).rejects.toMatchObject({ errcode: 47003 });
    await expect(local.send(message('tpl-budget'))).rejects.toBeInstanceOf(SubscribeMessageError);
    await expect(local.send(message(''))).rejects.toMatchObject({ errcode: 40037 });
    expect(await local.outbox('o-user-1')).toEqual([message('tpl-reply')]);
    await stores.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describeIndexCoverage(() => transport.db.shapes);
