/** The Orders contract on both adapters: SQLite, and the cloud adapter over the in-memory transport. */
import { openCloudStores, type Cloud } from '../../server/adapters/cloud';
import { installCloudTransport } from '../helpers/cloud-transport';
import { openTempSqliteStores } from '../helpers/sqlite-stores';
import { describeOrdersContract } from './orders-contract';
import { TEST_CLOUD_CONFIG } from '../helpers/blob-key';

const transport = installCloudTransport();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cloud = require('wx-server-sdk') as Cloud;
cloud.init({ env: 'test-env' });
afterAll(() => transport.restore());

describeOrdersContract('sqlite', async () => {
  const { stores, cleanup } = await openTempSqliteStores();
  return { orders: stores.orders, cleanup };
});

describeOrdersContract('cloud (wx-server-sdk, in-memory transport)', async () => {
  transport.reset();
  const stores = openCloudStores(cloud, TEST_CLOUD_CONFIG);
  return { orders: stores.orders, cleanup: () => stores.close() };
});
