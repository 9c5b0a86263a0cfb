/**
 * The page-transition model's event source and the preloadRule generator (issue 18): moves
 * from stored events through the event log port, and app.json's preloadRule written from them.
 */
import fs from 'node:fs';
import type { StoredEvent } from '../../../server/ports';
import { fitTransitions, transitionProbability } from '../../../server/engine/prefetch/transitions';
import { learnTransitions } from '../../../server/learning/transitions';
import { APP_JSON, withPreload } from '../../../scripts/gen-preload';
import { openTempSqliteStores, type OpenedStores } from '../../helpers/sqlite-stores';

const T = Date.UTC(2026, 10, 28, 2, 0, 0);
let seq = 0;
const ev = (over: Partial<StoredEvent>): StoredEvent => ({
  openid: 'u1',
  eventId: `e${seq++}`,
  type: 'impression',
  serverTime: T + seq,
  clientTime: T + seq,
  clockSkewed: false,
  sessionId: 's1',
  page: 'pages/feed/index',
  props: {},
  ...over,
});

describe('transitions from stored events', () => {
  let opened: OpenedStores;
  beforeEach(async () => {
    opened = await openTempSqliteStores();
  });
  afterEach(() => opened.cleanup());

  it('counts a feed click as a move to its detail or ad page, and consecutive pages of a session', async () => {
    await opened.stores.events.append([
      ev({ type: 'impression', itemId: 'i1' }),
      ev({ type: 'click', itemId: 'i1' }),
      ev({ type: 'dwell', itemId: 'i1', page: 'pages/detail/index' }),
      ev({ type: 'impression', itemId: 'i2' }),
      ev({ type: 'click', adId: 'a1' }),
      ev({ type: 'impression', page: 'pages/me/index' }),
      ev({ type: 'impression', page: 'merchant/pages/home/index' }),
      // Another session of the same user starts apart: no move from the last one.
      ev({ type: 'impression', sessionId: 's2', page: 'pages/me/index' }),
    ]);
    const model = await learnTransitions(opened.stores, undefined, {
      before: T + 10_000,
      maxEvents: 1000,
      pageSize: 3, // several pages of the log: a session's last page carries over
    });
    expect(model.counts).toEqual({
      'pages/feed/index': { 'pages/detail/index': 1, 'pages/ad/index': 1 },
      'pages/detail/index': { 'pages/feed/index': 1 },
      'pages/ad/index': { 'pages/me/index': 1 },
      'pages/me/index': { 'merchant/pages/home/index': 1 },
    });
  });
});

describe('gen:preload', () => {
  const app = JSON.parse(fs.readFileSync(APP_JSON, 'utf8')) as Parameters<typeof withPreload>[0];

  it('writes a rule for a page that leads into the merchant subpackage, after subPackages', () => {
    const model = fitTransitions([
      { from: 'pages/me/index', to: 'merchant/pages/home/index', count: 40 },
      { from: 'pages/me/index', to: 'pages/feed/index', count: 20 },
      { from: 'pages/feed/index', to: 'pages/detail/index', count: 500 },
    ]);
    expect(
      transitionProbability(model, 'pages/me/index', 'merchant/pages/home/index'),
    ).toBeGreaterThan(0.5);
    const next = withPreload(app, model);
    expect(next.preloadRule).toEqual({
      'pages/me/index': { network: 'all', packages: ['merchant'] },
    });
    const keys = Object.keys(next);
    expect(keys.indexOf('preloadRule')).toBe(keys.indexOf('subPackages') + 1);
    // No evidence of moves into a subpackage: no rule at all.
    expect(
      withPreload(
        next,
        fitTransitions([{ from: 'pages/feed/index', to: 'pages/detail/index', count: 9 }]),
      ),
    ).not.toHaveProperty('preloadRule');
  });

  it('the committed app.json preloads only declared subpackages from main-package pages', () => {
    const packages = new Set(app.subPackages.map((s) => s.name ?? s.root));
    for (const [page, rule] of Object.entries(app.preloadRule ?? {})) {
      expect(app.pages).toContain(page);
      for (const p of rule.packages) expect(packages.has(p)).toBe(true);
    }
  });
});
