/** The one place that composes the cloud adapter: wx-server-sdk's database + cloud storage. */
import { CloudContentSafety } from './content-safety';
import { blobKeyBytes, type Config } from '../../config';
import { searcherKeyOf } from '../searcher-key';
import { CloudSearchQueries } from './search-queries';
import type { Stores } from '../../ports';
import { CloudAdImages } from './ad-images';
import { CloudAds } from './ads';
import { BlobCipher } from './blob-cipher';
import { CloudBlobStore } from './blob-store';
import { CloudCatalog } from './catalog';
import { CloudComments } from './comments';
import { CloudCounters } from './counters';
import { CloudCustomerService } from './customer-service';
import { CloudEventLog } from './event-log';
import { CloudExperimentStore } from './experiments';
import { CloudFaqEntries, CloudSupportAsks } from './faq';
import { withCollectionsOnFirstUse } from './first-use';
import { CloudLikes } from './likes';
import { CloudSubscribeMessages, CloudSubscriptions } from './subscriptions';
import { CloudTrips } from './trips';
import { CloudSocial } from './social';
import { CloudOrders } from './orders';
import { CloudPay } from './pay';
import { CloudOpenData } from './open-data';
import { CloudCheckpoints, CloudLeases } from './checkpoints';
import { CloudMerchantDirectory } from './merchants';
import { CloudModelRegistry } from './models';
import { CloudItemNeighbours, CloudUserProfiles } from './profiles';
import type { Cloud } from './sdk';
import { CloudRollups } from './rollups';
import { CloudSlateLog } from './slates';
import { CloudPersonalData } from './personal-data';
import { CloudPrivacyStore } from './privacy';
import { withResilience } from './resilience';

export type { Cloud } from './sdk';

/**
 * Opens the stores on an initialised `cloud` (cloud.init already called). Throws ConfigError
 * without a blob encryption key: blobs are never written to the shared bucket in plaintext.
 */
export function openCloudStores(
  cloud: Cloud,
  config: Pick<Config, 'cloudEnv' | 'blobEncryptionKey'> &
    Partial<Pick<Config, 'paySubMchId' | 'runtimeEnv' | 'identifierKey'>>,
): Stores {
  const cipher = new BlobCipher(blobKeyBytes(config));
  // A fresh environment has no collections: a write creates its collection on first use.
  // Below that, every request is capped in flight and retried when throttled (resilience.ts).
  const db = withCollectionsOnFirstUse(
    withResilience(config.cloudEnv ? cloud.database({ env: config.cloudEnv }) : cloud.database())
      .db,
  );
  const counters = new CloudCounters(db);
  // Search-query rows name users by a keyed digest; export and erasure find them with the same key.
  const searcherKey = searcherKeyOf(config);
  return {
    events: new CloudEventLog(db, counters),
    counters,
    catalog: new CloudCatalog(db, counters),
    blobs: new CloudBlobStore(cloud, db, cipher),
    adImages: new CloudAdImages(cloud, {
      cloudEnv: config.cloudEnv,
      runtimeEnv: config.runtimeEnv,
    }),
    ads: new CloudAds(db),
    slates: new CloudSlateLog(db),
    rollups: new CloudRollups(db),
    profiles: new CloudUserProfiles(db),
    neighbours: new CloudItemNeighbours(db),
    models: new CloudModelRegistry(db),
    checkpoints: new CloudCheckpoints(db),
    leases: new CloudLeases(db),
    privacy: new CloudPrivacyStore(db),
    personal: new CloudPersonalData(db, searcherKey),
    searchQueries: new CloudSearchQueries(db, searcherKey),
    merchants: new CloudMerchantDirectory(db),
    experiments: new CloudExperimentStore(db),
    comments: new CloudComments(db),
    likes: new CloudLikes(db),
    subscriptions: new CloudSubscriptions(db),
    subscribeMessages: new CloudSubscribeMessages(cloud),
    trips: new CloudTrips(db),
    faq: new CloudFaqEntries(db),
    asks: new CloudSupportAsks(db),
    contentSafety: new CloudContentSafety(cloud),
    customerService: new CloudCustomerService(cloud),
    social: new CloudSocial(db),
    orders: new CloudOrders(db),
    payments: new CloudPay(cloud, {
      paySubMchId: config.paySubMchId ?? '',
      cloudEnv: config.cloudEnv,
      runtimeEnv: config.runtimeEnv,
    }),
    openData: new CloudOpenData(cloud),
    // Nothing to release: the SDK holds no connection per store.
    close: async () => undefined,
  };
}
