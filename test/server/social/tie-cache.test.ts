/**
 * The hot path of social proof and the social source (server/social/proof.ts): a tie's likes and
 * community are read once per TIE_TTL_MS per warm instance, in a cache bounded to TIE_CACHE_MAX
 * ties, while the privacy rules (hide switch, consent, erasure) are read fresh on every request.
 */
import { GATE_TTL_MS } from '../../../server/privacy/gate';
import { subjectOf } from '../../../server/privacy/subject';
import type { Stores } from '../../../server/ports';
import {
  engagementsOfTies,
  PROOF_TIES,
  TIE_CACHE_MAX,
  TIE_TTL_MS,
  tieCacheOf,
} from '../../../server/social/proof';
import { TEST_CLOUD_CONFIG } from '../../helpers/blob-key';
import { openTempSqliteStores, type OpenedStores } from '../../helpers/sqlite-stores';

const NOW = Date.UTC(2026, 11, 6, 2, 0, 0);
const KEYS = { ...TEST_CLOUD_CONFIG, identifierKey: '' };
const FEATURES = {
  degree: 1,
  activity: 1,
  influence: 1,
  clustering: 0,
  community: 7,
  sharedInterest: 0,
};

describe('the ties cache', () => {
  let opened: OpenedStores;
  let stores: Stores;
  let reads: { likes: number; records: number };

  const consent = (openid: string, granted = true, at = NOW) =>
    stores.privacy.recordConsent(openid, { noticeVersion: '2026-11', granted, at });
  /** `viewer` with ties `ties`, each consenting and liking `i-<tie>`. */
  const world = async (viewer: string, ties: string[]) => {
    await stores.social.putRecord(
      { openid: viewer, features: FEATURES, updatedAt: NOW },
      ties.map((t, i) => ({ kind: 'tie' as const, other: t, weight: ties.length - i })),
    );
    for (const t of ties) {
      await consent(t);
      await stores.social.putRecord({ openid: t, features: FEATURES, updatedAt: NOW }, []);
    }
    await stores.likes.apply(
      ties.map((t) => ({ openid: t, itemId: `i-${t}`, liked: true, at: NOW })),
    );
  };
  const items = async (viewer: string, now: number) =>
    (await engagementsOfTies(stores, viewer, now, KEYS)).flatMap((e) => e.items).sort();

  beforeEach(async () => {
    opened = await openTempSqliteStores();
    const real = opened.stores;
    reads = { likes: 0, records: 0 };
    // Count the two reads the cache saves; everything else goes straight through.
    const likes = Object.create(real.likes) as Stores['likes'];
    likes.list = (...a) => (reads.likes++, real.likes.list(...a));
    const social = Object.create(real.social) as Stores['social'];
    social.record = (o) => (reads.records++, real.social.record(o));
    stores = { ...real, likes, social };
  });
  afterEach(() => opened.cleanup());

  it('reads each tie once per TTL; a new like counts after it', async () => {
    await world('ann', ['bob', 'cid', 'dan']);
    expect(await items('ann', NOW)).toEqual(['i-bob', 'i-cid', 'i-dan']);
    expect(reads).toEqual({ likes: 3, records: 3 });
    expect(await items('ann', NOW + TIE_TTL_MS - 1)).toEqual(['i-bob', 'i-cid', 'i-dan']);
    expect(reads).toEqual({ likes: 3, records: 3 });
    await stores.likes.apply([{ openid: 'bob', itemId: 'i-new', liked: true, at: NOW + 1 }]);
    expect(await items('ann', NOW + TIE_TTL_MS)).toEqual(['i-bob', 'i-cid', 'i-dan', 'i-new']);
    expect(reads).toEqual({ likes: 6, records: 6 });
  });

  it('never serves privacy from the cache: a hidden, withdrawn or erased tie drops out at once', async () => {
    await world('ann', ['bob', 'cid', 'dan']);
    await items('ann', NOW);
    await stores.social.setHidden('bob', true);
    expect(await items('ann', NOW + 1)).toEqual(['i-cid', 'i-dan']);
    // A withdrawn consent: as soon as the gate's own few seconds are over.
    await consent('cid', false, NOW + 2);
    expect(await items('ann', NOW + 2 + GATE_TTL_MS)).toEqual(['i-dan']);
    // An erasure started (the gate's cached "yes" is waited out, as the erasure itself does).
    const at = NOW + 3 + GATE_TTL_MS;
    await stores.privacy.saveErasure(
      {
        subject: subjectOf('dan', KEYS),
        openid: 'dan',
        status: 'running',
        startedAt: at,
        updatedAt: at,
        finishedAt: null,
        step: 0,
        deleted: {},
        rev: 1,
      },
      0,
    );
    expect(await items('ann', at + GATE_TTL_MS)).toEqual([]);
    expect(reads).toEqual({ likes: 3, records: 3 });
  });

  it(`keeps at most ${TIE_CACHE_MAX} ties, however many viewers and ties pass through`, async () => {
    const viewers = Math.ceil((TIE_CACHE_MAX * 1.1) / PROOF_TIES);
    for (let v = 0; v < viewers; v++) {
      const ties = Array.from({ length: PROOF_TIES }, (_, i) => `t${v}-${i}`);
      await world(`v${v}`, ties);
      expect(await items(`v${v}`, NOW)).toHaveLength(PROOF_TIES);
    }
    expect(viewers * PROOF_TIES).toBeGreaterThan(TIE_CACHE_MAX);
    expect(tieCacheOf(stores).size).toBe(TIE_CACHE_MAX);
    // The most recent viewer's ties are still served from it.
    const before = { ...reads };
    await items(`v${viewers - 1}`, NOW + 1);
    expect(reads).toEqual(before);
  });
});
