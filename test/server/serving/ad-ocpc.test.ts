/**
 * oCPC bids in `recommend`'s ads on both adapters: before any model an oCPC campaign bids
 * target × the prior pCVR; once train's oCPC step has written a factor, serving bids with it
 * (read from the serving blob), and GSP prices the winner against the other bid.
 */
import type { Campaign } from '../../../typings';
import { ALL, STATS } from '../../../server/engine/ads/counter-keys';
import { mulberry32 } from '../../../server/engine/models/rng';
import { encodeServing, SERVING_KEY } from '../../../server/learning/ocpc-state';
import { serveAds } from '../../../server/serving/ads';
import { PRIOR_PCVR } from '../../../server/serving/ad-ocpc';
import { broadCampaign, contentSlots } from '../../helpers/ad-auction';
import { bothAdapters } from '../../helpers/adapters';
import { testDeps } from '../../helpers/deps';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const NOW = Date.UTC(2026, 10, 28, 2, 0, 0);
const broad = (id: string, over: Partial<Campaign>): Campaign => broadCampaign(id, NOW, over);
const content = contentSlots(5);

describe.each(bothAdapters)('oCPC bids when serving on %s', (_name, open) => {
  let opened: OpenedStores;
  beforeEach(async () => {
    opened = await open();
    await opened.stores.ads.upsertMerchants([{ id: 'm-1', name: '商家', createdAt: 1 }]);
    await opened.stores.ads.upsertCampaigns([
      broad('ocpc', { bidFen: 300, bidding: { mode: 'ocpc', targetCpaFen: 5000 } }),
      broad('cpc', { bidFen: 80 }),
    ]);
    // Both mature (no exploration): with no click model each has the prior CTR, so bids decide.
    await opened.stores.counters.add(
      ['ocpc', 'cpc'].flatMap((id) => [
        { scope: STATS, id, bucket: ALL, field: 'impressions', by: 5000 },
        { scope: STATS, id, bucket: ALL, field: 'clicks', by: 100 },
      ]),
    );
  });
  afterEach(() => opened.cleanup());

  const serve = () =>
    serveAds(testDeps(opened.stores, NOW), {
      openid: 'user-1',
      personalised: true,
      scene: 1001,
      profile: null,
      content,
      offset: 0,
      now: NOW,
      scorer: null,
      random: mulberry32(1),
    });

  it('bids target × the prior pCVR before train has written anything', async () => {
    // 5000 × 0.03 = 150 fen > 80: the oCPC campaign wins and pays one fen over the CPC bid.
    expect(Math.floor(5000 * PRIOR_PCVR)).toBe(150);
    const s = await serve();
    expect(s.slateCards.map((c) => [c.adId, c.priceFen])).toEqual([['ocpc', 81]]);
  });

  it('bids with the factor train wrote: lowered, it loses and sets the winner’s price', async () => {
    await opened.stores.blobs.put(
      SERVING_KEY,
      encodeServing({ v: 1, at: NOW, source: 'prior', model: null, multipliers: { ocpc: 0.4 } }),
    );
    // 5000 × 0.03 × 0.4 = 60 fen < 80: the CPC campaign wins at ⌊60 × 0.02 × 1000 / 20⌋ + 1 = 61.
    const s = await serve();
    expect(s.slateCards.map((c) => [c.adId, c.priceFen])).toEqual([['cpc', 61]]);
  });
});
