/**
 * Trips over the cloud database: one document per (user, item), _id hashed from both, so a
 * repeated add is refused by the service's unique _id (no read first) and a remove is one delete.
 */
import type { TripEntry, Trips } from '../../ports/trips';
import { docId, isDuplicateKey, MAX_GET, scalar, settle, type Database } from './sdk';
import { COLLECTIONS } from './collections';

export const TRIPS = COLLECTIONS.trips.name;

interface TripDoc {
  _id: string;
  openid: string;
  itemId: string;
  at: number;
}

export class CloudTrips implements Trips {
  constructor(private readonly db: Database) {}

  async add(openid: string, itemId: string, at: number): Promise<boolean> {
    const doc: TripDoc = {
      _id: docId(scalar(openid, 'openid'), scalar(itemId, 'item id')),
      openid,
      itemId,
      at: scalar(at, 'at'),
    };
    try {
      await settle(this.db.collection(TRIPS).add({ data: doc }));
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async remove(openid: string, itemId: string): Promise<boolean> {
    const _id = docId(scalar(openid, 'openid'), scalar(itemId, 'item id'));
    const res = await settle(this.db.collection(TRIPS).where({ _id }).remove());
    return res.stats.removed > 0;
  }

  async list(openid: string, limit: number): Promise<TripEntry[]> {
    const res = await settle(
      this.db
        .collection(TRIPS)
        .where({ openid: scalar(openid, 'openid') })
        .orderBy('at', 'asc')
        .orderBy('itemId', 'asc')
        .limit(Math.min(limit, MAX_GET))
        .get(),
    );
    return (res.data as TripDoc[]).map((d) => ({ itemId: d.itemId, at: d.at }));
  }
}
