/** The embedded adapter: SQLite (better-sqlite3) for records, local files for blobs. */
import path from 'node:path';
import type { Config } from '../../config';
import type { Stores } from '../../ports';
import { SqliteAds } from './ads';
import { SqliteCatalog } from './catalog';
import { SqliteComments } from './comments';
import { SqliteCounters } from './counters';
import { openDatabase } from './db';
import { SqliteEventLog } from './event-log';
import { SqliteExperimentStore } from './experiments';
import { FileBlobStore } from './file-blobs';
import { SqliteLikes } from './likes';
import { SqliteCheckpoints, SqliteLeases } from './checkpoints';
import { SqliteMerchantDirectory } from './merchants';
import { SqliteModelRegistry } from './models';
import { SqliteItemNeighbours, SqliteUserProfiles } from './profiles';
import { SqliteSlateLog } from './slates';
import { SqlitePersonalData } from './personal-data';
import { SqlitePrivacyStore } from './privacy';

export { StorageOpenError } from './db';

/** Opens (creating and migrating if needed) the stores under a data directory. */
export function openSqliteStoresAt(dbFile: string, blobDir: string): Stores {
  const db = openDatabase(dbFile);
  return {
    events: new SqliteEventLog(db),
    counters: new SqliteCounters(db),
    catalog: new SqliteCatalog(db),
    blobs: new FileBlobStore(blobDir),
    ads: new SqliteAds(db),
    slates: new SqliteSlateLog(db),
    profiles: new SqliteUserProfiles(db),
    neighbours: new SqliteItemNeighbours(db),
    models: new SqliteModelRegistry(db),
    checkpoints: new SqliteCheckpoints(db),
    leases: new SqliteLeases(db),
    privacy: new SqlitePrivacyStore(db),
    personal: new SqlitePersonalData(db),
    merchants: new SqliteMerchantDirectory(db),
    experiments: new SqliteExperimentStore(db),
    comments: new SqliteComments(db),
    likes: new SqliteLikes(db),
    close: async () => {
      db.close();
    },
  };
}

export function openSqliteStores(config: Pick<Config, 'dataDir'>): Stores {
  return openSqliteStoresAt(path.join(config.dataDir, 'recsys.sqlite'), path.join(config.dataDir, 'blobs'));
}
