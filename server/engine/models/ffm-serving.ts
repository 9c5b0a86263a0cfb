/**
 * The field-aware FM's score of a request's cards, from partial sums instead of one full pass
 * per card. A card's entries split into the request's (user and context: R), its group's (the
 * item fields the crosses read and the cross entries: K) and its own (the item's other tokens:
 * T, plus the age). The FFM logit
 *   b + Σ w_i x_i + r · Σ_{a<b} ⟨v[i_a, f_b], v[i_b, f_a]⟩ x_a x_b,   r = 1 / Σ x²
 * is a sum over entries and over pairs, so it is the sum of the parts' own sums and of the
 * pairs across parts. Per request: R's sums and, per field pair (g, h), the aggregate
 *   A[g][h] = Σ_{s ∈ R, field g} x_s v[s, h]
 * so that an entry t pairs with all of R in one dot product per field of R:
 *   Σ_{s ∈ R} ⟨v[t, f_s], v[s, f_t]⟩ x_s x_t = x_t Σ_g ⟨v[t, g], A[g][f_t]⟩.
 * Per group: K's sums and K × R. Per item and model: T's sums (kept with the item). Per card:
 * T × R, T × K and the age entry's pairs.
 *
 * Same model, same entries: the score equals FieldAwareFM.predict of the card's full vector up
 * to floating-point summation order (test/server/engine/card-batch.test.ts checks 1e-12).
 * Entries are skipped as FieldAwareFM.logit skips them (non-usable values or indices; no
 * latent row or a zero value: linear part only).
 */
import type { CardBatch, CardGroup, ItemRecord } from '../features/card-batch';
import type { FeatureVector } from '../features/vector';
import type { FieldAwareFM } from './ffm';
import { clampLogit, MAX_ABS_VALUE, sigmoid } from './learner';

/** Sums over one set of entries, and its entries that hold a latent row. */
interface Part {
  lin: number;
  norm: number;
  /** Σ over pairs within the part, before the 1 / Σ x² scaling. */
  pairs: number;
  /** Active entries: latent row offset, field slot offset ((field mod fields) · 2k), value. */
  off: number[];
  fld: number[];
  x: number[];
  m: number;
}

interface GroupPart {
  part: Part;
  /** K × R pair sum. */
  withRequest: number;
}

export class FfmServing {
  private readonly k: number;
  private readonly fields: number;
  private readonly k2: number;
  private readonly stride: number;
  /** Own parts of items, for this model (a new model gets a new FfmServing). */
  private readonly own = new WeakMap<ItemRecord, Part>();
  // The request in progress.
  private request: Part = emptyPart();
  private readonly agg: Float64Array;
  private present = new Int32Array(0);
  private groups = new Map<CardGroup, GroupPart>();

  constructor(readonly model: FieldAwareFM) {
    this.k = model.p.k;
    this.fields = model.p.fields;
    this.k2 = 2 * this.k;
    this.stride = this.fields * this.k2;
    this.agg = new Float64Array(this.fields * this.fields * this.k);
  }

  /** Starts a request (after batch.begin): the request part and its aggregates. */
  begin(batch: CardBatch): void {
    this.request = this.part([batch.user, batch.context]);
    this.groups = new Map();
    const { k, k2, fields } = this;
    const agg = this.agg;
    agg.fill(0);
    const seen = new Uint8Array(fields);
    const tb = this.model.table;
    const r = this.request;
    for (let a = 0; a < r.m; a++) {
      const g = r.fld[a] / k2;
      seen[g] = 1;
      const xa = r.x[a];
      const base = g * fields * k;
      for (let h = 0; h < fields; h++) {
        const o = r.off[a] + h * k2;
        const ao = base + h * k;
        for (let d = 0; d < k; d++) agg[ao + d] += xa * tb[o + d];
      }
    }
    const present: number[] = [];
    for (let g = 0; g < fields; g++) if (seen[g]) present.push(g);
    this.present = Int32Array.from(present);
  }

  /** Click probability of a card of `rec` aged `ageHours`, in the request begun last. */
  score(batch: CardBatch, rec: ItemRecord, ageHours: number | undefined): number {
    const model = this.model;
    const g = this.group(batch.group(rec));
    let own = this.own.get(rec);
    if (!own) this.own.set(rec, (own = this.part([rec.own])));
    const r = this.request;
    const K = g.part;
    let lin = model.linear.weight(model.buckets) + r.lin + K.lin + own.lin;
    let norm = r.norm + K.norm + own.norm;
    let pairs = r.pairs + K.pairs + g.withRequest + own.pairs;
    for (let t = 0; t < own.m; t++)
      pairs +=
        own.x[t] *
        (this.withRequest(own.off[t], own.fld[t]) + this.dotAll(own.off[t], own.fld[t], K));
    // The age token: one entry, weight 1.
    const age = batch.ageBucket(ageHours);
    if (age < model.buckets) {
      lin += model.linear.weight(age);
      norm += 1;
      const row = model.slot[age];
      if (row >= 0) {
        const off = row * this.stride;
        const fld = (batch.ageFieldId % this.fields) * this.k2;
        pairs += this.withRequest(off, fld) + this.dotAll(off, fld, K) + this.dotAll(off, fld, own);
      }
    }
    const rr = norm > 0 ? 1 / norm : 1;
    return sigmoid(clampLogit(lin + pairs * rr));
  }

  private group(cg: CardGroup): GroupPart {
    let g = this.groups.get(cg);
    if (g) return g;
    const part = this.part([cg.shared, ...cg.crosses]);
    let withRequest = 0;
    for (let a = 0; a < part.m; a++)
      withRequest += part.x[a] * this.withRequest(part.off[a], part.fld[a]);
    g = { part, withRequest };
    this.groups.set(cg, g);
    return g;
  }

  /** Σ_{s ∈ request} ⟨v[t, f_s], v[s, f_t]⟩ x_s for an active entry t (row offset, field slot). */
  private withRequest(off: number, fld: number): number {
    const { k, k2, fields } = this;
    const tb = this.model.table;
    const agg = this.agg;
    const ft = fld / k2;
    const present = this.present;
    let s = 0;
    if (k === 2) {
      for (let j = 0; j < present.length; j++) {
        const g = present[j];
        const o = off + g * k2;
        const ao = (g * fields + ft) * 2;
        s += tb[o] * agg[ao] + tb[o + 1] * agg[ao + 1];
      }
      return s;
    }
    for (let j = 0; j < present.length; j++) {
      const g = present[j];
      const o = off + g * k2;
      const ao = (g * fields + ft) * k;
      for (let d = 0; d < k; d++) s += tb[o + d] * agg[ao + d];
    }
    return s;
  }

  /** Σ_{b ∈ part} ⟨v[t, f_b], v[b, f_t]⟩ x_b for an active entry t. */
  private dotAll(off: number, fld: number, p: Part): number {
    const k = this.k;
    const tb = this.model.table;
    let s = 0;
    for (let b = 0; b < p.m; b++) {
      const pa = off + p.fld[b];
      const pb = p.off[b] + fld;
      let d = 0;
      for (let f = 0; f < k; f++) d += tb[pa + f] * tb[pb + f];
      s += d * p.x[b];
    }
    return s;
  }

  /** The sums of the entries of `vecs` (taken as one set). */
  private part(vecs: readonly FeatureVector[]): Part {
    const model = this.model;
    const p = emptyPart();
    for (const v of vecs) {
      for (let j = 0; j < v.n; j++) {
        const i = v.idx[j];
        const xv = v.val[j];
        if (!(xv >= -MAX_ABS_VALUE && xv <= MAX_ABS_VALUE && i < model.buckets)) continue;
        p.lin += model.linear.weight(i) * xv;
        p.norm += xv * xv;
        const row = model.slot[i];
        if (row < 0 || xv === 0) continue;
        p.off.push(row * this.stride);
        p.fld.push((v.fld[j] % this.fields) * this.k2);
        p.x.push(xv);
        p.m++;
      }
    }
    const tb = model.table;
    const k = this.k;
    for (let a = 0; a < p.m; a++) {
      for (let b = a + 1; b < p.m; b++) {
        const pa = p.off[a] + p.fld[b];
        const pb = p.off[b] + p.fld[a];
        let d = 0;
        for (let f = 0; f < k; f++) d += tb[pa + f] * tb[pb + f];
        p.pairs += d * p.x[a] * p.x[b];
      }
    }
    return p;
  }
}

function emptyPart(): Part {
  return { lin: 0, norm: 0, pairs: 0, off: [], fld: [], x: [], m: 0 };
}
