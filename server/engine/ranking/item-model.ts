/**
 * Item-to-item model learned from co-engagement in closed form: EASE (Steck, "Embarrassingly
 * Shallow Autoencoders for Sparse Data", WWW 2019), B = I − P·diag(1/diag(P)) with
 * P = (XᵀX + λI)⁻¹, diagonal forced to zero. Rows of X may carry weights (e.g. time decay).
 * Served as sparse neighbour lists (the k largest weights per item), the same shape the
 * co-engagement builder writes, so the neighbours candidate source reads either. The dense
 * inverse costs O(n³): beyond `maxItems` only the most engaged items are modelled.
 */

export interface Interaction {
  user: number;
  item: number;
  /** Strength of the interaction (1 for plain implicit feedback). */
  weight: number;
}

export interface ItemModelParams {
  /** L2 regularisation λ of EASE. */
  lambda: number;
  /** Neighbours kept per item. */
  topK: number;
  /** Most engaged items modelled (the inverse is cubic in this). */
  maxItems: number;
}

export const DEFAULT_ITEM_MODEL_PARAMS: ItemModelParams = {
  lambda: 300,
  topK: 200,
  maxItems: 3000,
};

export interface SimilarItem {
  itemId: string;
  score: number;
}

/** Structural subset of the neighbours port's lists: what the candidate source needs. */
export interface SimilarityList {
  itemId: string;
  neighbours: readonly SimilarItem[];
}

/** In-place inverse of a symmetric positive definite n×n row-major matrix (Gauss–Jordan, no pivoting needed for SPD). */
export function invertSpd(a: Float64Array, n: number): void {
  const row = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const kk = k * n;
    const piv = a[kk + k];
    if (!(piv > 0)) throw new Error('matrix is not positive definite');
    const inv = 1 / piv;
    // Row k scaled by 1/pivot, with the pivot column replaced by the inverse's entry.
    for (let j = 0; j < n; j++) row[j] = a[kk + j] * inv;
    row[k] = inv;
    for (let i = 0; i < n; i++) {
      if (i === k) continue;
      const ii = i * n;
      const f = a[ii + k];
      if (f === 0) continue;
      for (let j = 0; j < n; j++) a[ii + j] -= f * row[j];
      a[ii + k] = -f * inv;
    }
    for (let j = 0; j < n; j++) a[kk + j] = row[j];
  }
}

/**
 * Learns EASE over the interactions (duplicate user–item pairs add up) and returns, for every
 * modelled item, its `topK` strongest positive neighbours. `itemIds[i]` names item index i.
 */
export function learnItemModel(
  interactions: readonly Interaction[],
  itemIds: readonly string[],
  params: ItemModelParams = DEFAULT_ITEM_MODEL_PARAMS,
): SimilarityList[] {
  // Per-user weighted rows; the model only needs the Gram matrix XᵀX.
  const mass = new Float64Array(itemIds.length);
  const byUser = new Map<number, Map<number, number>>();
  for (const x of interactions) {
    if (!(x.weight > 0) || x.item < 0 || x.item >= itemIds.length) continue;
    let row = byUser.get(x.user);
    if (!row) byUser.set(x.user, (row = new Map()));
    row.set(x.item, (row.get(x.item) ?? 0) + x.weight);
    mass[x.item] += x.weight;
  }
  const kept = [...mass.keys()]
    .filter((i) => mass[i] > 0)
    .sort((a, b) => mass[b] - mass[a] || a - b)
    .slice(0, params.maxItems);
  const n = kept.length;
  if (n === 0) return [];
  const local = new Int32Array(itemIds.length).fill(-1);
  kept.forEach((item, k) => (local[item] = k));

  const g = new Float64Array(n * n);
  for (const row of byUser.values()) {
    const ks: number[] = [];
    const ws: number[] = [];
    for (const [item, w] of row) {
      if (local[item] >= 0) {
        ks.push(local[item]);
        ws.push(w);
      }
    }
    for (let a = 0; a < ks.length; a++) {
      const base = ks[a] * n;
      for (let b = 0; b < ks.length; b++) g[base + ks[b]] += ws[a] * ws[b];
    }
  }
  for (let k = 0; k < n; k++) g[k * n + k] += params.lambda;
  invertSpd(g, n);

  // B[i][j] = −P[i][j] / P[j][j]: how strongly having item i predicts item j.
  const lists: SimilarityList[] = [];
  const cand: number[] = [];
  for (let i = 0; i < n; i++) {
    cand.length = 0;
    const ii = i * n;
    for (let j = 0; j < n; j++) if (j !== i && -g[ii + j] > 0) cand.push(j);
    const w = (j: number): number => -g[ii + j] / g[j * n + j];
    cand.sort((x, y) => w(y) - w(x) || x - y);
    lists.push({
      itemId: itemIds[kept[i]],
      neighbours: cand
        .slice(0, params.topK)
        .map((j) => ({ itemId: itemIds[kept[j]], score: w(j) })),
    });
  }
  return lists;
}
