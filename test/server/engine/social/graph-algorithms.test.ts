/** Communities and link prediction pinned on small hand-checked graphs. */
import { detectCommunities } from '../../../../server/engine/social/communities';
import { buildGraph, neighbourIndex } from '../../../../server/engine/social/graph';
import {
  fitPairModel,
  PairScratch,
  recommend,
  twoHop,
} from '../../../../server/engine/social/link-prediction';
import {
  heldOutByNode,
  recallAt,
  selectLinkPredictor,
} from '../../../../server/engine/social/selection';

const e = (a: string, b: string, weight = 1) => ({ a, b, weight });
/** Two triangles joined by one bridge (c–d). */
const barbell = [
  e('a', 'b'),
  e('b', 'c'),
  e('a', 'c'),
  e('d', 'e'),
  e('e', 'f'),
  e('d', 'f'),
  e('c', 'd'),
];

describe('buildGraph', () => {
  it('drops self-loops and sums a pair listed twice in either direction', () => {
    const g = buildGraph([e('a', 'a'), e('a', 'b', 2), e('b', 'a', 0.5)], ['z']);
    expect(g.order).toBe(3);
    expect(g.size).toBe(1);
    expect(g.getEdgeAttribute(g.edge('a', 'b') as string, 'weight')).toBe(2.5);
  });
});

describe('Louvain communities', () => {
  it('splits two triangles at their bridge with modularity 5/14', () => {
    // m = 7; each side holds 3 edges and degree 7: Q = 2 (3/7 − (7/14)²) = 5/14.
    const c = detectCommunities(buildGraph(barbell));
    expect(c.count).toBe(2);
    expect(c.modularity).toBeCloseTo(5 / 14, 10);
    expect(c.of.get('a')).toBe(c.of.get('c'));
    expect(c.of.get('a')).not.toBe(c.of.get('d'));
  });

  it('uses weights: a heavy bridge pulls its ends together', () => {
    const heavy = barbell.map((x) => (x.a === 'c' && x.b === 'd' ? { ...x, weight: 10 } : x));
    const c = detectCommunities(buildGraph(heavy));
    expect(c.of.get('c')).toBe(c.of.get('d'));
    expect(detectCommunities(buildGraph(heavy), { weight: null }).count).toBe(2);
  });

  it('repeats with the same seed', () => {
    const ring: ReturnType<typeof e>[] = [];
    for (let k = 0; k < 8; k++) {
      const base = k * 5;
      for (let i = 0; i < 5; i++)
        for (let j = i + 1; j < 5; j++) ring.push(e(`n${base + i}`, `n${base + j}`));
      ring.push(e(`n${base}`, `n${(base + 5) % 40}`));
    }
    const g = buildGraph(ring);
    const one = detectCommunities(g, { seeds: [3] });
    const two = detectCommunities(g, { seeds: [3] });
    expect([...two.of]).toEqual([...one.of]);
    expect(one.count).toBe(8);
  });
});

describe('link prediction scores', () => {
  // u has neighbours b (degree 2: u, c) and d (degree 3: u, c, e).
  const g = buildGraph([e('u', 'b'), e('u', 'd'), e('b', 'c'), e('d', 'c'), e('d', 'e')]);
  const idx = neighbourIndex(g, (x, y) => (x < y ? -1 : 1));
  const s = new PairScratch(idx.ids.length);
  const u = idx.index.get('u') as number;
  const c = idx.index.get('c') as number;
  const ee = idx.index.get('e') as number;

  it('counts common neighbours, Adamic-Adar and resource allocation by hand', () => {
    expect(twoHop(idx, u, s).sort()).toEqual([c, ee].sort());
    expect(s.cn[c]).toBe(2);
    expect(s.aa[c]).toBeCloseTo(1 / Math.log(2) + 1 / Math.log(3), 12);
    expect(s.ra[c]).toBeCloseTo(1 / 2 + 1 / 3, 12);
    expect(s.cn[ee]).toBe(1);
    expect(s.aa[ee]).toBeCloseTo(1 / Math.log(3), 12);
  });

  it('recommends non-neighbours best first and never the user or a friend', () => {
    const recs = recommend(idx, u, 10, 'adamic-adar', s).map((r) => idx.ids[r.node]);
    expect(recs).toEqual(['c', 'e']);
  });

  it('scores Recall@k and Precision@k over held-out edges', () => {
    const held = heldOutByNode(idx, [e('u', 'e'), e('u', 'b')]);
    // u–b is still a training edge, so only u–e is held out (as the anchor removes known ties).
    expect(held.get(u)).toEqual(new Set([ee]));
    // u's top 1 is c (AA 2.35 > 0.91: miss); e's candidates c and u tie at 1/ln 3 and the
    // tie goes to the earlier id, c (miss). At k = 2 both truths are found in 4 recommendations.
    const top1 = recallAt(idx, held, 1, 'adamic-adar', null, null);
    expect(top1).toEqual({ recall: 0, precision: 0, users: 2 });
    const top2 = recallAt(idx, held, 2, 'adamic-adar', null, null);
    expect(top2).toEqual({ recall: 1, precision: 0.5, users: 2 });
  });
});

describe('learned pair model', () => {
  /** Cliques of 6 with a few cross links; hide one intra-clique edge per clique. */
  function world() {
    const train: ReturnType<typeof e>[] = [];
    const held: ReturnType<typeof e>[] = [];
    for (let k = 0; k < 12; k++) {
      const ids = Array.from({ length: 6 }, (_, i) => `c${k}n${i}`);
      for (let i = 0; i < 6; i++)
        for (let j = i + 1; j < 6; j++) (i === 0 && j === 1 ? held : train).push(e(ids[i], ids[j]));
      train.push(e(ids[5], `c${(k + 1) % 12}n2`));
      train.push(e(ids[4], `c${(k + 3) % 12}n3`));
    }
    return { train, held };
  }

  it('learns that common neighbours predict a hidden tie, and recovers every hidden edge', () => {
    const { train, held } = world();
    const g = buildGraph(train);
    const idx = neighbourIndex(g);
    const h = heldOutByNode(idx, held);
    const model = fitPairModel(idx, h, null, { shortlist: 10 });
    expect(model.weights[0] + model.weights[6]).toBeGreaterThan(0);
    const r = recallAt(idx, h, 1, 'learned', model, null);
    expect(r.recall).toBe(1);
  });

  it('selects on training edges only and repeats', () => {
    const { train } = world();
    const nodes = [...new Set(train.flatMap((x) => [x.a, x.b]))];
    const one = selectLinkPredictor(nodes, train, { k: 5 });
    const two = selectLinkPredictor(nodes, train, { k: 5 });
    expect(two).toEqual(one);
    expect(Object.keys(one.validation).sort()).toEqual(
      ['adamic-adar', 'common-neighbours', 'learned', 'resource-allocation'].sort(),
    );
  });
});
