/** The storage contract against the cloud adapter: the real wx-server-sdk over the in-memory transport. */
import { openCloudStores, type Cloud } from '../../server/adapters/cloud';
import { installCloudTransport } from '../helpers/cloud-transport';
import { describeIndexCoverage } from '../helpers/index-coverage';
import { describeLearningContract } from './learning-contract';
import { describeStoresContract } from './stores-contract';
import { TEST_CLOUD_CONFIG } from '../helpers/blob-key';

const transport = installCloudTransport();
// Required after the transport is installed, from the same module registry as its seams.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cloud = require('wx-server-sdk') as Cloud;
cloud.init({ env: 'test-env' });

afterAll(() => transport.restore());

describeStoresContract('cloud (wx-server-sdk, in-memory transport)', async () => {
  transport.reset();
  const stores = openCloudStores(cloud, TEST_CLOUD_CONFIG);
  return { stores, cleanup: () => stores.close() };
});

describeLearningContract('cloud (wx-server-sdk, in-memory transport)', async () => {
  transport.reset();
  const stores = openCloudStores(cloud, TEST_CLOUD_CONFIG);
  return { stores, cleanup: () => stores.close() };
});

describeIndexCoverage(() => transport.db.shapes);
