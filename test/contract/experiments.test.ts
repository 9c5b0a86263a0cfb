/** The ExperimentStore contract on both adapters: SQLite, and the cloud adapter over the in-memory transport. */
import { openCloudStores, type Cloud } from '../../server/adapters/cloud';
import { installCloudTransport } from '../helpers/cloud-transport';
import { describeIndexCoverage } from '../helpers/index-coverage';
import { openTempSqliteStores } from '../helpers/sqlite-stores';
import { describeExperimentsContract } from './experiments-contract';
import { TEST_CLOUD_CONFIG } from '../helpers/blob-key';

const transport = installCloudTransport();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cloud = require('wx-server-sdk') as Cloud;
cloud.init({ env: 'test-env' });
afterAll(() => transport.restore());

describeExperimentsContract('sqlite', async () => {
  const { stores, cleanup } = await openTempSqliteStores();
  return { experiments: stores.experiments, cleanup };
});

describeExperimentsContract('cloud (wx-server-sdk, in-memory transport)', async () => {
  transport.reset();
  const stores = openCloudStores(cloud, TEST_CLOUD_CONFIG);
  return { experiments: stores.experiments, cleanup: () => stores.close() };
});

describeIndexCoverage(() => transport.db.shapes);
