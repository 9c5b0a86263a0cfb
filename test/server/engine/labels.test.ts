/** The label join: positives, negatives, delayed feedback across runs, duplicates, unknown and foreign slates, bad input. */
import { CLICK_WINDOW_MS, LabelJoin, type JoinState } from '../../../server/engine/labels/join';
import type { ServedSlate, StoredEvent } from '../../../server/ports';

const T = 1_700_000_000_000;
const MIN = 60_000;

const slate = (slateId: string, openid = 'u1'): ServedSlate => ({
  slateId,
  openid,
  servedAt: T,
  modelVersion: 'v000001',
  variant: 'exp:a',
  personalised: true,
  scene: 1001,
  cards: [0, 1, 2].map((position) => ({
    position,
    itemId: `${slateId}-item-${position}`,
    score: 0.1 * (position + 1),
    propensity: 0.5,
  })),
});

let n = 0;
const ev = (
  type: string,
  slateId: string | undefined,
  position: number | undefined,
  at: number,
  over: Partial<StoredEvent> = {},
): StoredEvent => ({
  openid: 'u1',
  eventId: `e${++n}`,
  type: type as StoredEvent['type'],
  serverTime: at,
  clientTime: at,
  clockSkewed: false,
  sessionId: 's',
  page: 'pages/feed/index',
  props: {},
  ...(slateId !== undefined ? { slateId } : {}),
  ...(position !== undefined ? { position } : {}),
  ...over,
});

const slates = new Map([
  ['A', slate('A')],
  ['B', slate('B')],
  ['C', slate('C', 'u2')],
]);

describe('label join', () => {
  it('labels a clicked viewable impression positive and an unclicked one negative, with the slate facts', () => {
    const j = new LabelJoin();
    j.ingest(
      [ev('impression', 'A', 0, T), ev('impression', 'A', 1, T), ev('click', 'A', 1, T + 5 * MIN)],
      slates,
    );
    expect(j.flush(T + CLICK_WINDOW_MS - 1)).toEqual([]); // windows still open
    const out = j.flush(T + CLICK_WINDOW_MS);
    expect(out.map((x) => [x.position, x.clicked])).toEqual([
      [0, 0],
      [1, 1],
    ]);
    expect(out[1]).toMatchObject({
      slateId: 'A',
      openid: 'u1',
      itemId: 'A-item-1',
      modelVersion: 'v000001',
      variant: 'exp:a',
      personalised: true,
      scene: 1001,
      score: 0.2,
      propensity: 0.5,
      impressionAt: T,
      servedAt: T,
    });
    expect(j.stats).toMatchObject({ impressions: 2, clicks: 1, positives: 1, negatives: 1 });
    expect(j.pendingCount).toBe(0);
  });

  it('carries pending impressions across runs (delayed feedback) and resolves them when the click comes', () => {
    const run1 = new LabelJoin();
    run1.ingest([ev('impression', 'A', 0, T), ev('impression', 'A', 2, T)], slates);
    expect(run1.flush(T + 10 * MIN)).toEqual([]);
    const state: JoinState = JSON.parse(JSON.stringify(run1.snapshot())); // as stored in the checkpoint blob
    expect(state.pending).toHaveLength(2);

    const run2 = new LabelJoin(state);
    run2.ingest([ev('click', 'A', 2, T + 20 * MIN)], slates);
    expect(run2.flush(T + 31 * MIN).map((x) => [x.position, x.clicked])).toEqual([
      [0, 0],
      [2, 1],
    ]);
  });

  it('counts a click after the window as late: the impression stays negative', () => {
    const j = new LabelJoin();
    j.ingest([ev('impression', 'A', 0, T), ev('click', 'A', 0, T + CLICK_WINDOW_MS + 1)], slates);
    expect(j.flush(T + 2 * CLICK_WINDOW_MS).map((x) => x.clicked)).toEqual([0]);
    expect(j.stats.lateClicks).toBe(1);
    // A click arriving after the position was resolved is late too, and changes nothing.
    j.ingest([ev('click', 'A', 0, T + 3 * CLICK_WINDOW_MS)], slates);
    expect(j.stats.lateClicks).toBe(2);
    expect(j.flush(T + 3 * CLICK_WINDOW_MS)).toEqual([]);
  });

  it('joins a click that arrives before its impression, and drops a click whose impression never comes', () => {
    const j = new LabelJoin();
    j.ingest(
      [ev('click', 'A', 0, T), ev('impression', 'A', 0, T + 1000), ev('click', 'A', 1, T)],
      slates,
    );
    expect(j.flush(T + CLICK_WINDOW_MS + 1000).map((x) => [x.position, x.clicked])).toEqual([
      [0, 1],
    ]);
    expect(j.stats.clicksWithoutImpression).toBe(1);
  });

  it('counts and skips duplicates, unknown and foreign slates, unknown positions and malformed events', () => {
    const j = new LabelJoin();
    j.ingest(
      [
        ev('impression', 'A', 0, T),
        ev('impression', 'A', 0, T + 1), // duplicate impression
        ev('click', 'A', 0, T + 2),
        ev('click', 'A', 0, T + 3), // duplicate click
        ev('impression', 'nope', 0, T), // unknown slate
        ev('impression', 'C', 0, T), // u2's slate, sent by u1
        ev('impression', 'A', 7, T), // no such position
        ev('impression', 'A', 1, Number.NaN), // bad time
        ev('impression', 'A', -1, T), // bad position
        ev('teleport', 'A', 1, T), // unknown type
        ev('impression', undefined, undefined, T), // not from a slate: ignored, not an error
        ev('like', 'B', 0, T), // signal without a pending position
      ],
      slates,
    );
    expect(j.stats).toMatchObject({
      impressions: 1,
      clicks: 1,
      duplicates: 2,
      unknownSlate: 1,
      foreignSlate: 1,
      unknownPosition: 1,
      invalid: 2,
      unknownType: 1,
      unmatchedSignals: 1,
    });
    expect(j.flush(T + CLICK_WINDOW_MS).map((x) => x.clicked)).toEqual([1]);
    // A late duplicate of a resolved impression is remembered and skipped.
    j.ingest([ev('impression', 'A', 0, T + CLICK_WINDOW_MS + 5)], slates);
    expect(j.stats.duplicates).toBe(3);
    expect(j.flush(T + 3 * CLICK_WINDOW_MS)).toEqual([]);
  });

  it('keeps likes, comments, shares, hides, dwell and payments as further labels', () => {
    const j = new LabelJoin();
    j.ingest(
      [
        ev('impression', 'A', 0, T),
        ev('click', 'A', 0, T + 1),
        ev('like', 'A', 0, T + 2),
        ev('dwell', 'A', 0, T + 3, { props: { dwellMs: 12_000 } }),
        ev('dwell', 'A', 0, T + 4, { props: { dwellMs: Number.NaN } }),
        ev('pay', 'A', 0, T + 5, { props: { amountFen: 990, orderId: 'o', merchantId: 'm' } }),
        ev('share', 'A', 0, T + 6, { props: { shareId: 'x', target: 'chat' } }),
        ev('impression', 'A', 1, T),
        ev('hide', 'A', 1, T + 7, { props: { reason: 'dislike' } }),
      ],
      slates,
    );
    const [a, b] = j.flush(T + CLICK_WINDOW_MS);
    expect(a).toMatchObject({
      clicked: 1,
      liked: true,
      shared: true,
      commented: false,
      dwellMs: 12_000,
      paidFen: 990,
      hidden: false,
    });
    expect(b).toMatchObject({ clicked: 0, liked: false, hidden: true });
    expect(j.stats.invalid).toBe(1);
  });

  it('resolves the oldest positions early when the pending state is full, and counts them', () => {
    const j = new LabelJoin(undefined, {
      windowMs: CLICK_WINDOW_MS,
      maxPending: 2,
      rememberMs: CLICK_WINDOW_MS,
      maxDone: 10,
    });
    j.ingest(
      [
        ev('impression', 'A', 0, T),
        ev('impression', 'A', 1, T + 1),
        ev('impression', 'A', 2, T + 2),
      ],
      slates,
    );
    expect(j.stats.overflow).toBe(1);
    expect(j.flush(T + 3).map((x) => x.position)).toEqual([0]);
    expect(j.pendingCount).toBe(2);
  });

  it('remembers at most maxDone resolved positions, forgetting the earliest resolved first', () => {
    const opts = {
      windowMs: CLICK_WINDOW_MS,
      maxPending: 100,
      rememberMs: 4 * CLICK_WINDOW_MS,
      maxDone: 3,
    };
    const j = new LabelJoin(undefined, opts);
    const many = Array.from({ length: 5 }, (_, k) => slate(`D${k}`));
    const bySlate = new Map(many.map((s) => [s.slateId, s]));
    j.ingest(
      many.map((s, k) => ev('impression', s.slateId, 0, T + k)),
      bySlate,
    );
    expect(j.flush(T + 10 + CLICK_WINDOW_MS)).toHaveLength(5);
    expect(j.doneCount).toBe(3);
    expect(j.stats.forgotten).toBe(2);
    // The newest three are still caught as duplicates; the two forgotten would count again.
    j.ingest(
      many.map((s, k) => ev('impression', s.slateId, 0, T + 20 + k)),
      bySlate,
    );
    expect(j.stats.duplicates).toBe(3);
    expect(j.pendingCount).toBe(2);
  });

  it('brings a state saved under larger caps within its own when it is loaded', () => {
    const big = new LabelJoin();
    const many = Array.from({ length: 6 }, (_, k) => slate(`L${k}`));
    big.ingest(
      many.map((s, k) => ev('impression', s.slateId, 0, T + k)),
      new Map(many.map((s) => [s.slateId, s])),
    );
    big.flush(T + 2 + CLICK_WINDOW_MS); // L0..L2 resolved and remembered; L3..L5 pending
    const saved = big.snapshot();
    expect(saved.pending).toHaveLength(3);
    expect(saved.done).toHaveLength(3);
    const small = new LabelJoin(saved, {
      windowMs: CLICK_WINDOW_MS,
      maxPending: 1,
      rememberMs: 4 * CLICK_WINDOW_MS,
      maxDone: 2,
    });
    expect(small.pendingCount).toBe(1);
    expect(small.stats.overflow).toBe(2);
    // The two resolved early join the memory; only the newest two of all five are kept.
    expect(small.doneCount).toBe(2);
    expect(small.flush(T + 3).map((x) => x.slateId)).toEqual(['L3', 'L4']);
    expect(small.snapshot().pending.map((p) => p.slateId)).toEqual(['L5']);
  });

  it('snapshots user features when a position is first seen, so later events do not leak into them', () => {
    const j = new LabelJoin();
    const seen: number[] = [];
    j.ingest([ev('impression', 'A', 0, T)], slates, (openid, at) => {
      seen.push(at);
      return { id: openid, interests: ['cat:美食'] };
    });
    j.ingest([ev('click', 'A', 0, T + 1)], slates, () => ({ id: 'later' }));
    expect(j.flush(T + CLICK_WINDOW_MS)[0].user).toEqual({ id: 'u1', interests: ['cat:美食'] });
    expect(seen).toEqual([T]);
  });
});

describe('label join, early mode (clicks learned as they arrive, the delayed-feedback correction)', () => {
  const early = () =>
    new LabelJoin(undefined, {
      windowMs: CLICK_WINDOW_MS,
      maxPending: 1000,
      maxDone: 48_000,
      rememberMs: 4 * CLICK_WINDOW_MS,
      early: true,
    });

  it('labels an impression once the watermark passes it: positive if its click is known, else a provisional negative', () => {
    const j = early();
    j.ingest(
      [ev('impression', 'A', 0, T), ev('impression', 'A', 1, T), ev('click', 'A', 1, T + 1000)],
      slates,
    );
    expect(j.flush(T - 1)).toEqual([]); // nothing before the watermark reaches the impressions
    const out = j.flush(T + 1000);
    expect(out.map((x) => [x.position, x.clicked, x.provisional === true])).toEqual([
      [0, 0, true],
      [1, 1, false],
    ]);
    // The clicked position is final at once; the unclicked one waits for its window, emitting nothing more.
    expect(j.pendingCount).toBe(1);
    expect(j.flush(T + CLICK_WINDOW_MS)).toEqual([]);
    expect(j.pendingCount).toBe(0);
    expect(j.stats).toMatchObject({ positives: 1, negatives: 1 });
    expect(j.promptShare).toBeCloseTo(2 / 3); // one prompt click, none late, uniform prior
  });

  it('emits a late click as a positive after its provisional negative, across runs, and counts it late', () => {
    const j = early();
    j.ingest([ev('impression', 'A', 0, T)], slates);
    expect(j.flush(T + MIN).map((x) => [x.clicked, x.provisional])).toEqual([[0, true]]);
    const state: JoinState = JSON.parse(JSON.stringify(j.snapshot()));
    const k = new LabelJoin(state, {
      windowMs: CLICK_WINDOW_MS,
      maxPending: 1000,
      maxDone: 48_000,
      rememberMs: 4 * CLICK_WINDOW_MS,
      early: true,
    });
    k.ingest([ev('click', 'A', 0, T + 10 * MIN)], slates);
    expect(k.flush(T + 11 * MIN).map((x) => [x.position, x.clicked, x.provisional])).toEqual([
      [0, 1, undefined],
    ]);
    expect(k.promptShare).toBeCloseTo(1 / 3); // none prompt, one late
    expect(k.snapshot()).toMatchObject({ clicksPrompt: 0, clicksLate: 1 });
    // A click after the window is still late, and changes nothing.
    k.ingest([ev('impression', 'B', 0, T), ev('click', 'B', 0, T + CLICK_WINDOW_MS + 1)], slates);
    expect(k.flush(T + CLICK_WINDOW_MS + 2).map((x) => [x.clicked, x.provisional])).toEqual([
      [0, true],
    ]);
    expect(k.stats.lateClicks).toBe(1);
  });

  it('off by default: one label per impression, when its window closes', () => {
    const j = new LabelJoin();
    j.ingest([ev('impression', 'A', 0, T), ev('click', 'A', 0, T)], slates);
    expect(j.flush(T + MIN)).toEqual([]);
    expect(j.flush(T + CLICK_WINDOW_MS).map((x) => [x.clicked, x.provisional])).toEqual([
      [1, undefined],
    ]);
  });
});
