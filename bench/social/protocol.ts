/**
 * The social benchmark's protocol (../shared/BENCHMARKS.md §3, as in anchors/social_anchor.py):
 * read an edge list, Louvain best of seeds 0–4, hold out the edge on 0-based line i when
 * i % 10 === 0, recommend each node with a held-out edge its 10 best non-neighbours.
 */
import { readFileSync } from 'node:fs';
import type { WeightedEdge } from '../../server/engine/social/graph';

export interface EdgeList {
  /** Edges in file order, self-loops included (the split counts lines, as the anchor does). */
  lines: WeightedEdge[];
  nodes: string[];
}

/** Whitespace-separated pairs, one a line; `#` comments and blank lines skipped (as the anchor). */
export function readEdgeList(path: string): EdgeList {
  const lines: WeightedEdge[] = [];
  const nodes = new Set<string>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [a, b] = line.trim().split(/\s+/);
    if (b === undefined) continue;
    const na = String(parseInt(a, 10));
    const nb = String(parseInt(b, 10));
    lines.push({ a: na, b: nb, weight: 1 });
    if (na !== nb) {
      nodes.add(na);
      nodes.add(nb);
    }
  }
  return { lines, nodes: [...nodes] };
}

/** Node labels ("node label" lines) for NMI. */
export function readLabels(path: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const [n, l] = line.trim().split(/\s+/);
    if (n && l !== undefined) out.set(String(parseInt(n, 10)), l);
  }
  return out;
}

/** The anchor's split: line i held out when i % 10 === 0; self-loops belong to neither side. */
export function splitLines(lines: readonly WeightedEdge[]): {
  train: WeightedEdge[];
  test: WeightedEdge[];
} {
  const train: WeightedEdge[] = [];
  const test: WeightedEdge[] = [];
  lines.forEach((e, i) => {
    if (e.a === e.b) return;
    (i % 10 === 0 ? test : train).push(e);
  });
  return { train, test };
}

/** Numeric ids compare as numbers (the anchor's tie-break), others as strings. */
export function idOrder(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Normalised mutual information (arithmetic mean normalisation, as scikit-learn's default). */
export function nmi(la: readonly (string | number)[], lb: readonly (string | number)[]): number {
  const a = la.map(String);
  const b = lb.map(String);
  const n = a.length;
  if (!n) return 0;
  const count = (xs: readonly string[]): Map<string, number> => {
    const m = new Map<string, number>();
    for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
    return m;
  };
  const ca = count(a);
  const cb = count(b);
  const joint = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const key = `${a[i]}\u0000${b[i]}`;
    joint.set(key, (joint.get(key) ?? 0) + 1);
  }
  const h = (m: Map<string, number>): number =>
    [...m.values()].reduce((s, c) => s - (c / n) * Math.log(c / n), 0);
  let mi = 0;
  for (const [key, c] of joint) {
    const [x, y] = key.split('\u0000');
    const px = (ca.get(x) ?? 0) / n;
    const py = (cb.get(y) ?? 0) / n;
    mi += (c / n) * Math.log(c / n / (px * py));
  }
  const ha = h(ca);
  const hb = h(cb);
  if (ha === 0 && hb === 0) return 1;
  const denom = (ha + hb) / 2;
  return denom > 0 ? Math.max(0, mi / denom) : 0;
}
