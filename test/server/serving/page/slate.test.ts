/** servePage's logging stage: the slate as logged (pure), and its append for a user who may be stored. */
import type { AdCard, FeedCard } from '../../../../typings';
import type { Assignment } from '../../../../server/engine/experiments/assign';
import type { RankedCard } from '../../../../server/engine/ranking/pipeline';
import type { ServedSlate, SlateCard } from '../../../../server/ports';
import { contentCard } from '../../../../server/serving/page/cards';
import { logSlate, slateOf } from '../../../../server/serving/page/slate';
import { ServedFilter } from '../../../../server/serving/served-filter';
import { makeItem } from '../../../helpers/fixtures';
import { openTempSqliteStores, type OpenedStores } from '../../../helpers/sqlite-stores';

const NOW = Date.UTC(2026, 11, 6, 10, 0, 0);

const ranked = (itemId: string, over: Partial<RankedCard> = {}): RankedCard => ({
  itemId,
  score: 2,
  modelScore: 0.25,
  source: 'neighbours',
  propensity: 1,
  ...over,
});

const adCard = (adId: string, position: number): AdCard => ({
  kind: 'ad',
  position,
  sponsored: true,
  adId,
  advertiser: '商家',
  merchantId: 'm1',
  creative: { title: '广告', description: '', image: '', landing: { kind: 'page', path: 'p' } },
  reason: { code: 'broad', text: '该广告面向所有用户投放' },
});

const assignment = (experimentId: string, over: Partial<Assignment> = {}): Assignment => ({
  experimentId,
  parameter: 'feed.diversity',
  variant: 'b',
  value: 0.5,
  ...over,
});

describe('slateOf', () => {
  // The page as served: content at 0, 2 and 3, an ad woven in at 1.
  const cards: FeedCard[] = [
    contentCard(makeItem('a'), 0, null, null),
    adCard('c1', 1),
    contentCard(makeItem('x'), 2, null, null),
    contentCard(makeItem('b'), 3, null, null),
  ];
  const adEntry: SlateCard = {
    position: 1,
    adId: 'c1',
    score: 0.03,
    propensity: 0.5,
    explored: false,
    priceFen: 12,
  };
  const exposure = assignment('exp_creative', {
    parameter: 'ad.creative',
    campaignId: 'c1',
    variant: 'v2',
  });

  it('logs every card by position: content with its model score, propensity and exploration; ads as the auction gave them', () => {
    const slate = slateOf(
      { slateId: 's.0', openid: 'u1', now: NOW, modelVersion: 'v3' },
      { experiments: [], personalised: true, scene: 1007 },
      [
        ranked('a'),
        ranked('x', { source: 'explore', modelScore: null, propensity: 0.01 }),
        ranked('b', { propensity: 0.9 }),
      ],
      { cards, slateCards: [adEntry], exposures: [] },
    );
    expect(slate).toEqual({
      slateId: 's.0',
      openid: 'u1',
      servedAt: NOW,
      modelVersion: 'v3',
      variant: null,
      personalised: true,
      scene: 1007,
      cards: [
        { position: 0, itemId: 'a', score: 0.25, propensity: 1 },
        adEntry,
        { position: 2, itemId: 'x', score: null, propensity: 0.01, explored: true },
        { position: 3, itemId: 'b', score: 0.25, propensity: 0.9 },
      ],
    });
  });

  it("names feed-wide variants always and a creative experiment's only when its campaign is on the slate", () => {
    const feedWide = assignment('exp_div');
    const notShown = assignment('exp_other_creative', {
      parameter: 'ad.creative',
      campaignId: 'c9',
    });
    const req = { experiments: [feedWide, notShown, exposure], personalised: false, scene: null };
    const page = { cards, slateCards: [adEntry] };
    const ids = ['a', 'x', 'b'].map((id) => ranked(id));
    const head = { slateId: 's.0', openid: 'u1', now: NOW, modelVersion: null };
    expect(slateOf(head, req, ids, { ...page, exposures: [exposure] }).variant).toBe(
      'exp_div:b,exp_creative:v2',
    );
    expect(slateOf(head, req, ids, { ...page, exposures: [] }).variant).toBe('exp_div:b');
  });
});

describe('logSlate', () => {
  let opened: OpenedStores;
  beforeEach(async () => {
    opened = await openTempSqliteStores();
  });
  afterEach(() => opened.cleanup());

  const slate = (slateId: string, openid = 'u1'): ServedSlate => ({
    slateId,
    openid,
    servedAt: NOW,
    modelVersion: null,
    variant: null,
    personalised: true,
    scene: null,
    cards: [{ position: 0, itemId: 'a', score: null, propensity: 1 }],
  });
  const session = (page: number, carried = false) => ({
    id: 'sess',
    page,
    offset: page * 10,
    channel: 'foryou',
    ...(carried ? { carried: { items: ServedFilter.empty(), ads: [] } } : {}),
  });

  it('logs nothing for a user who may not be stored', async () => {
    expect(await logSlate(opened, slate('sess.0'), { store: false, session: session(0) })).toEqual({
      slateId: 'sess.0',
    });
    expect(await opened.stores.slates.get(['sess.0'])).toEqual([]);
  });

  it('logs the slate under its id', async () => {
    expect(await logSlate(opened, slate('sess.0'), { store: true, session: session(0) })).toEqual({
      slateId: 'sess.0',
    });
    expect(await opened.stores.slates.get(['sess.0'])).toEqual([slate('sess.0')]);
  });

  it("answers the twin's slate when a logged session's page id is taken", async () => {
    const first = {
      ...slate('sess.1'),
      cards: [{ position: 10, itemId: 'z', score: null, propensity: 1 }],
    };
    await opened.stores.slates.append(first);
    expect(await logSlate(opened, slate('sess.1'), { store: true, session: session(1) })).toEqual({
      twin: first,
    });
  });

  it("logs a carried session's page under a fresh id when the client's id is taken", async () => {
    await opened.stores.slates.append(slate('sess.1', 'someone-else'));
    const out = await logSlate(opened, slate('sess.1'), { store: true, session: session(1, true) });
    expect('slateId' in out && out.slateId).toMatch(/^[0-9a-f-]{36}\.1$/);
    const [kept] = await opened.stores.slates.get([(out as { slateId: string }).slateId]);
    expect(kept).toEqual({ ...slate('sess.1'), slateId: (out as { slateId: string }).slateId });
  });
});
