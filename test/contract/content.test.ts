/** The Comments and Likes contracts on both adapters: SQLite, and the cloud adapter over the in-memory transport. */
import { openCloudStores, type Cloud } from '../../server/adapters/cloud';
import { installCloudTransport } from '../helpers/cloud-transport';
import { describeIndexCoverage } from '../helpers/index-coverage';
import { openTempSqliteStores } from '../helpers/sqlite-stores';
import { describeContentContract } from './content-contract';
import { TEST_CLOUD_CONFIG } from '../helpers/blob-key';

const transport = installCloudTransport();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cloud = require('wx-server-sdk') as Cloud;
cloud.init({ env: 'test-env' });
afterAll(() => transport.restore());

describeContentContract('sqlite', async () => {
  const { stores, cleanup } = await openTempSqliteStores();
  return { comments: stores.comments, likes: stores.likes, catalog: stores.catalog, cleanup };
});

describeContentContract('cloud (wx-server-sdk, in-memory transport)', async () => {
  transport.reset();
  const stores = openCloudStores(cloud, TEST_CLOUD_CONFIG);
  return {
    comments: stores.comments,
    likes: stores.likes,
    catalog: stores.catalog,
    cleanup: () => stores.close(),
  };
});

describe('sqlite migration 8', () => {
  it('fills the like state from the like/unlike events stored before it: the latest tap per user and item', async () => {
    const Database = (await import('better-sqlite3')).default;
    const { MIGRATIONS } = await import('../../server/adapters/sqlite/migrations');
    const { migrate } = await import('../../server/adapters/sqlite/db');
    const { SqliteLikes } = await import('../../server/adapters/sqlite/likes');
    const db = new Database(':memory:');
    for (const sql of MIGRATIONS.slice(0, 7)) db.exec(sql);
    db.pragma('user_version = 7');
    const put =
      db.prepare(`INSERT INTO events (openid, event_id, type, server_time, client_time, clock_skewed, session_id, page, item_id, props)
      VALUES (?, ?, ?, ?, ?, 0, 's', 'pages/detail/index', ?, '{}')`);
    put.run('u1', 'e1', 'like', 1, 10, 'a');
    put.run('u1', 'e2', 'unlike', 2, 20, 'a');
    put.run('u1', 'e3', 'like', 3, 15, 'b');
    put.run('u1', 'e4', 'click', 4, 16, 'c');
    put.run('u2', 'e5', 'like', 5, 5, 'a');
    migrate(db);
    const likes = new SqliteLikes(db);
    expect(await likes.list('u1', null, 10)).toEqual([{ itemId: 'b', at: 15 }]);
    expect(await likes.list('u2', null, 10)).toEqual([{ itemId: 'a', at: 5 }]);
    db.close();
  });
});

describeIndexCoverage(() => transport.db.shapes);
