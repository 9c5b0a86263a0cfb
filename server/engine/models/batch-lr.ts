/**
 * L2-regularised logistic regression solved on the full batch by a trust-region Newton method
 * (Lin, Weng & Keerthi, "Trust Region Newton Method for Large-Scale Logistic Regression", JMLR
 * 2008; the primal solver of LIBLINEAR, `-s 0`, with its diagonal preconditioner: Hsia, Chiang &
 * Lin, "Preconditioned Conjugate Gradient Methods in Truncated Newton Frameworks for Large-scale
 * Linear Classification", ACML 2018). Minimises ½‖w‖² + C Σᵢ log(1 + exp(−yᵢ wᵀxᵢ)) over the
 * hashed buckets the rows use (compacted to dense columns) plus a bias column of value 1,
 * regularised like the others, as LIBLINEAR's `-B 1`.
 *
 * The regularisation C is chosen on a validation tail: a few values from the strongest, each solve
 * warm-started from the previous one (the regularisation path), stopping once the tail's log-loss
 * rises. The solution becomes an FTRL logistic regression (`toLogistic`) whose weights are the
 * solution, so it serves, stores and keeps learning online as any other.
 */
import type { ExampleBatch } from '../features/examples';
import type { FeatureVector } from '../features/vector';
import type { FtrlParams } from './ftrl';
import { MAX_ABS_VALUE, MAX_LOGIT } from './learner';
import { LogisticRegression } from './logistic';

export interface BatchLrParams {
  /** Values of C tried in increasing order (weaker regularisation along the path). */
  cs: number[];
  /**
   * Stopping tolerance: ‖∇f(w)‖ ≤ eps · max(min(#pos, #neg), 1) / #rows · ‖∇f(0)‖, LIBLINEAR's
   * criterion for `-s 0` (its default eps is 0.01).
   */
  eps: number;
  /** Most Newton iterations per solve (LIBLINEAR: 1000). */
  maxIter: number;
  /**
   * Solves from a warm start (the path's points after the first, and the refit on all rows) also
   * stop once ‖∇f‖ has fallen to this share of its value at the start: the points only rank C, and
   * the refit starts next to its answer.
   */
  pathTol: number;
}

// A local copy: under tsx every read of an imported binding is a getter call.
const LOGIT_CAP = MAX_LOGIT;
const MAX_ABS = MAX_ABS_VALUE;
const clamp = (t: number): number => (t > LOGIT_CAP ? LOGIT_CAP : t < -LOGIT_CAP ? -LOGIT_CAP : t);

export const checkBatchLr = (p: BatchLrParams): void => {
  if (!p.cs.length || p.cs.some((c, i) => !(c > 0) || (i > 0 && !(c > p.cs[i - 1]))))
    throw new RangeError('batch LR needs increasing positive values of C');
  if (!(p.eps > 0 && p.eps < 1)) throw new RangeError('batch LR eps must be in (0, 1)');
  if (!Number.isInteger(p.maxIter) || p.maxIter < 1)
    throw new RangeError('batch LR maxIter must be a positive integer');
  if (!(p.pathTol >= 0 && p.pathTol < 1))
    throw new RangeError('batch LR pathTol must be in [0, 1)');
};

/**
 * Rows of a batch in compact CSR form: the hashed buckets the usable rows use, renumbered 0…d−1
 * by decreasing count, and the bias as column d (value 1 in every row, not stored: the loops add it apart, so that no
 * loop writes one cell once per row). Rows the online learners would refuse (label not 0/1, absurd values,
 * bucket out of range) are left out, as they change no weight there.
 */
export class CompactRows {
  readonly rowPtr: Int32Array;
  readonly col: Int32Array;
  /** Entry values; null when every value is 1 (one-hot rows: the products are skipped). */
  readonly val: Float64Array | null;
  /** Labels as ±1. */
  readonly y: Float64Array;
  /** Position of each kept row in the batch. */
  readonly source: Int32Array;
  /** Bucket of each column (the bias column is not listed). */
  readonly bucketOf: Int32Array;
  /** Number of columns, bias included. */
  readonly dim: number;
  /** Column + 1 of each bucket (0: a bucket no kept row uses). */
  private readonly colOf: Int32Array;

  constructor(data: ExampleBatch, buckets: number) {
    // Straight from the batch's own arrays, each row checked as checkExample checks it (copying
    // every row out through `load` first was 15 % of the training's CPU).
    const { idx, val: vals, offsets, labels } = data.raw();
    const size = data.size;
    // First pass: which rows are kept, and how often each bucket occurs in them (first seen first).
    const count = new Int32Array(buckets);
    const seen: number[] = [];
    const kept = new Uint8Array(size);
    let ones = true;
    let k = 0;
    let n = 0;
    rows: for (let i = 0; i < size; i++) {
      const label = labels[i];
      if (label !== 0 && label !== 1) continue;
      const start = offsets[i];
      const end = offsets[i + 1];
      for (let t = start; t < end; t++) {
        const v = vals[t];
        if (!(v >= -MAX_ABS && v <= MAX_ABS) || idx[t] >= buckets) continue rows;
      }
      for (let t = start; t < end; t++) {
        const b = idx[t];
        if (count[b]++ === 0) seen.push(b);
        if (vals[t] !== 1) ones = false;
      }
      kept[i] = 1;
      k += end - start;
      n++;
    }
    // Columns by decreasing count (ties: first seen first; a counting sort), so that the frequent
    // ids' weights share cache lines: every data pass gathers and scatters them once per entry
    // (on AdKDD'21's rows a Hessian–vector pass ran ≈ 15 % faster than in first-seen order).
    let maxCount = 0;
    for (const b of seen) if (count[b] > maxCount) maxCount = count[b];
    const slot = new Int32Array(maxCount + 2);
    for (const b of seen) slot[maxCount - count[b] + 1]++;
    for (let c = 1; c < slot.length; c++) slot[c] += slot[c - 1];
    const bucketOf = new Int32Array(seen.length);
    // Column of each bucket + 1 (0: a bucket no kept row uses), reusing the count array.
    const colOf = count;
    for (const b of seen) {
      const c = slot[maxCount - count[b]]++;
      bucketOf[c] = b;
    }
    for (let c = 0; c < bucketOf.length; c++) colOf[bucketOf[c]] = c + 1;
    // Second pass: the kept rows' entries as columns.
    const col = new Int32Array(k);
    const val = ones ? null : new Float64Array(k);
    const rowPtr = new Int32Array(n + 1);
    const y = new Float64Array(n);
    const source = new Int32Array(n);
    k = 0;
    n = 0;
    for (let i = 0; i < size; i++) {
      if (!kept[i]) continue;
      const end = offsets[i + 1];
      for (let t = offsets[i]; t < end; t++) {
        col[k] = colOf[idx[t]] - 1;
        if (val) val[k] = vals[t];
        k++;
      }
      y[n] = labels[i] === 1 ? 1 : -1;
      source[n] = i;
      rowPtr[++n] = k;
    }
    this.dim = bucketOf.length + 1;
    this.rowPtr = rowPtr;
    this.col = col;
    this.val = val;
    this.y = y;
    this.source = source;
    this.bucketOf = bucketOf;
    this.colOf = colOf;
  }

  /** ‖Σ_{r<rows} ½ yᵣ xᵣ‖ (bias included): ‖∇f(0)‖ / C, since σ(0) = ½ on every row. */
  halfGradNorm(rows: number): number {
    if (!this.u || rows < this.uRows) {
      this.u = new Float64Array(this.dim);
      this.uRows = 0;
    }
    // Extended from the rows already summed (the path's fitting rows, then all rows for the refit).
    for (let r = this.uRows; r < rows; r++) this.axpy(-0.5 * this.y[r], r, this.u);
    this.uRows = Math.max(this.uRows, rows);
    return Math.sqrt(dotv(this.u, this.u));
  }

  private u: Float64Array | null = null;
  private uRows = 0;

  /**
   * wᵀx + bias for any example, as LogisticRegression.logit computes it from the same weights:
   * unusable entries and buckets no kept row uses (weight 0) add nothing.
   */
  logit(w: Float64Array, x: FeatureVector): number {
    let t = w[this.dim - 1];
    const buckets = this.colOf.length;
    for (let j = 0; j < x.n; j++) {
      const b = x.idx[j];
      const v = x.val[j];
      if (!(v >= -MAX_ABS && v <= MAX_ABS && b < buckets)) continue;
      const c = this.colOf[b] - 1;
      if (c >= 0) t += w[c] * v;
    }
    return clamp(t);
  }

  /** Number of leading kept rows that come from batch rows before `cut`. */
  rowsBefore(cut: number): number {
    let r = 0;
    while (r < this.source.length && this.source[r] < cut) r++;
    return r;
  }

  get rows(): number {
    return this.y.length;
  }

  /** wᵀx of row r, bias included. */
  dot(w: Float64Array, r: number): number {
    const { col, val } = this;
    let s = w[this.dim - 1];
    const end = this.rowPtr[r + 1];
    if (val) for (let t = this.rowPtr[r]; t < end; t++) s += w[col[t]] * val[t];
    else for (let t = this.rowPtr[r]; t < end; t++) s += w[col[t]];
    return s;
  }

  /** out += a · x_r, bias included. */
  axpy(a: number, r: number, out: Float64Array): void {
    const { col, val } = this;
    out[this.dim - 1] += a;
    const end = this.rowPtr[r + 1];
    if (val) for (let t = this.rowPtr[r]; t < end; t++) out[col[t]] += a * val[t];
    else for (let t = this.rowPtr[r]; t < end; t++) out[col[t]] += a;
  }
}

/** What an objective knew at a solution (see Objective.save / resume). */
export interface ObjectiveState {
  rows: number;
  current: boolean;
  margin: Float64Array;
  e: Float64Array;
  d: Float64Array;
  kept: { g: Float64Array; m: Float64Array; c: number } | null;
}

/**
 * The objective over rows [0, rows) of `x` at C, with what grad and Hv reuse from the last `fun`.
 * One serves a whole path: the margins yᵢ wᵀxᵢ do not depend on C, so the solve at the next C,
 * warm-started from the last solution, reads f there from the kept margins without a data pass.
 */
export class Objective {
  /** yᵢ wᵀxᵢ of the last fun. */
  private readonly margin: Float64Array;
  /** exp(−|yᵢ wᵀxᵢ|) of the last fun: grad's σ without another exp per row. */
  private readonly e: Float64Array;
  /** C · σ(1 − σ) of the last grad (a rejected step's fun leaves it at the current w). */
  private readonly d: Float64Array;
  /** Data passes made (fun, grad, Hv each read every row once). */
  passes = 0;
  /** grad's interleaved sums. */
  private gm = new Float64Array(0);
  /** The C of the current solve. */
  c = 1;
  /** Whether the kept margins are those of the solver's current w (the last fun's w was accepted). */
  current = false;
  /**
   * The gradient and the Hessian's diagonal (unpreconditioned) a solve ended with, at its final w
   * and C `keptC` (null: it ended without one). Both are w plus C times a sum that does not depend
   * on C (and D is C times such a factor), so the next solve of a path, starting at that w,
   * rescales them instead of a gradient pass.
   */
  kept: { g: Float64Array; m: Float64Array; c: number } | null = null;

  constructor(
    readonly x: CompactRows,
    readonly rows: number,
  ) {
    this.margin = new Float64Array(rows);
    this.e = new Float64Array(rows);
    this.d = new Float64Array(rows);
  }

  /**
   * ∇f and the diagonal at the current w for C = `c`, from those kept at another C (see `kept`):
   * g = w + (c/c′)(g′ − w), m = 1 + (c/c′)(m′ − 1), D = (c/c′) D′. False when none is kept.
   */
  rescale(w: Float64Array, c: number, g: Float64Array, m: Float64Array): boolean {
    const k = this.kept;
    if (!k || !this.current) return false;
    const q = c / k.c;
    for (let i = 0; i < w.length; i++) {
      g[i] = w[i] + q * (k.g[i] - w[i]);
      m[i] = 1 + q * (k.m[i] - 1);
    }
    const d = this.d;
    for (let r = 0; r < this.rows; r++) d[r] *= q;
    this.kept = null;
    return true;
  }

  /** A copy of what the objective knows at the solver's current w (the path's best point). */
  save(): ObjectiveState {
    return {
      rows: this.rows,
      current: this.current,
      margin: this.margin.slice(),
      e: this.e.slice(),
      d: this.d.slice(),
      // A solve's kept sums are its own arrays, never written again.
      kept: this.kept,
    };
  }

  /**
   * Starts this objective (over more rows: the refit on all of them) at w, the solution a saved
   * state of the first `s.rows` rows belongs to: their margins, D and kept sums are taken over, and
   * only the rows after them are read (the validation tail: the refit saves its first fun and
   * gradient passes over all rows).
   */
  resume(w: Float64Array, s: ObjectiveState): void {
    if (!s.current || s.rows > this.rows) return;
    const { margin, e, d } = this;
    margin.set(s.margin);
    e.set(s.e);
    const { y } = this.x;
    for (let r = s.rows; r < this.rows; r++) {
      const m = y[r] * this.x.dot(w, r);
      margin[r] = m;
      e[r] = Math.exp(m >= 0 ? -m : m);
    }
    this.current = true;
    this.kept = null;
    const k = s.kept;
    if (!k) return;
    d.set(s.d);
    // The later rows' terms of g and of the diagonal, at the kept C.
    const g = k.g.slice();
    const diag = k.m.slice();
    const { col, val, rowPtr } = this.x;
    const bias = this.x.dim - 1;
    for (let r = s.rows; r < this.rows; r++) {
      const sg = margin[r] >= 0 ? 1 / (1 + e[r]) : e[r] / (1 + e[r]);
      const dr = k.c * sg * (1 - sg);
      d[r] = dr;
      const a = k.c * (sg - 1) * y[r];
      g[bias] += a;
      diag[bias] += dr;
      for (let t = rowPtr[r]; t < rowPtr[r + 1]; t++) {
        const v = val ? val[t] : 1;
        g[col[t]] += a * v;
        diag[col[t]] += dr * v * v;
      }
    }
    this.kept = { g, m: diag, c: k.c };
  }

  /** yᵣ wᵀxᵣ of the last fun. */
  get margins(): Float64Array {
    return this.margin;
  }

  fun(w: Float64Array): number {
    this.passes++;
    const { y, col, val, rowPtr } = this.x;
    const { margin, e } = this;
    const bias = w[this.x.dim - 1];
    for (let r = 0; r < this.rows; r++) {
      let z = bias;
      const end = rowPtr[r + 1];
      if (val) for (let t = rowPtr[r]; t < end; t++) z += w[col[t]] * val[t];
      else for (let t = rowPtr[r]; t < end; t++) z += w[col[t]];
      const m = y[r] * z;
      margin[r] = m;
      e[r] = Math.exp(m >= 0 ? -m : m);
    }
    return this.funKept(w);
  }

  /** f at the w of the last fun, from its kept margins (no data pass; C may have changed since). */
  funKept(w: Float64Array): number {
    let f = 0;
    for (let i = 0; i < w.length; i++) f += w[i] * w[i];
    f /= 2;
    const { margin, e } = this;
    let loss = 0;
    for (let r = 0; r < this.rows; r++) {
      const m = margin[r];
      loss += m >= 0 ? Math.log1p(e[r]) : -m + Math.log1p(e[r]);
    }
    return f + this.c * loss;
  }

  /**
   * ∇f at the w of the last fun; also sets D there (for hv), as LIBLINEAR's grad does, and the
   * Hessian's diagonal 1 + Σᵢ Dᵢ xᵢⱼ² into `m` in the same visit of each row (one data pass fewer
   * per Newton iteration than a separate diagonal pass).
   */
  grad(w: Float64Array, g: Float64Array, m: Float64Array): void {
    this.passes++;
    const dim = this.x.dim;
    // g and m summed interleaved (a column's two sums in one cache line: ≈ 13 % faster on
    // AdKDD'21's rows than two arrays), then split.
    if (this.gm.length < 2 * dim) this.gm = new Float64Array(2 * dim);
    const gm = this.gm;
    for (let i = 0; i < dim; i++) {
      gm[2 * i] = w[i];
      gm[2 * i + 1] = 1;
    }
    const { y, col, val, rowPtr } = this.x;
    const { margin, e, d, c } = this;
    let gb = 0;
    let mb = 0;
    for (let r = 0; r < this.rows; r++) {
      // σ(m) from the kept exp(−|m|).
      const s = margin[r] >= 0 ? 1 / (1 + e[r]) : e[r] / (1 + e[r]);
      const dr = c * s * (1 - s);
      d[r] = dr;
      mb += dr;
      const a = c * (s - 1) * y[r];
      gb += a;
      const end = rowPtr[r + 1];
      if (val)
        for (let t = rowPtr[r]; t < end; t++) {
          const v = val[t];
          const q = 2 * col[t];
          gm[q] += a * v;
          gm[q + 1] += dr * v * v;
        }
      else
        for (let t = rowPtr[r]; t < end; t++) {
          const q = 2 * col[t];
          gm[q] += a;
          gm[q + 1] += dr;
        }
    }
    for (let i = 0; i < dim; i++) {
      g[i] = gm[2 * i];
      m[i] = gm[2 * i + 1];
    }
    g[dim - 1] += gb;
    m[dim - 1] += mb;
  }

  /** out = (I + C Xᵀ D X) v: each row's product and its scatter in one visit of the row. */
  hv(v: Float64Array, out: Float64Array): void {
    this.passes++;
    out.set(v);
    const { col, val, rowPtr } = this.x;
    const d = this.d;
    const vb = v[this.x.dim - 1];
    let ob = 0;
    for (let r = 0; r < this.rows; r++) {
      const start = rowPtr[r];
      const end = rowPtr[r + 1];
      let z = vb;
      if (val) {
        for (let t = start; t < end; t++) z += v[col[t]] * val[t];
        const a = d[r] * z;
        for (let t = start; t < end; t++) out[col[t]] += a * val[t];
        ob += a;
      } else {
        for (let t = start; t < end; t++) z += v[col[t]];
        const a = d[r] * z;
        for (let t = start; t < end; t++) out[col[t]] += a;
        ob += a;
      }
    }
    out[this.x.dim - 1] += ob;
  }
}

const dotv = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/** uᵀ M v for a diagonal M. */
const uMv = (u: Float64Array, m: Float64Array, v: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i] * m[i] * v[i];
  return s;
};

/** Preconditioned CG for the trust-region step (LIBLINEAR's trcg); returns whether it hit the boundary. */
function trcg(
  obj: Objective,
  delta: number,
  g: Float64Array,
  m: Float64Array,
  s: Float64Array,
  r: Float64Array,
  cgRel: number,
  /** Work vectors of the solve's dimension (d, Hd, z), reused across its Newton steps. */
  work: [Float64Array, Float64Array, Float64Array],
): boolean {
  const n = g.length;
  const [d, hd, z] = work;
  s.fill(0);
  for (let i = 0; i < n; i++) {
    r[i] = -g[i];
    z[i] = r[i] / m[i];
    d[i] = z[i];
  }
  let zTr = dotv(z, r);
  const gMinvNorm = Math.sqrt(zTr);
  const cgTol = Math.min(cgRel, Math.sqrt(gMinvNorm)) * gMinvNorm;
  const maxIter = Math.max(n, 5);
  for (let it = 0; it < maxIter && Math.sqrt(zTr) > cgTol; it++) {
    obj.hv(d, hd);
    let alpha = zTr / dotv(d, hd);
    for (let i = 0; i < n; i++) s[i] += alpha * d[i];
    if (Math.sqrt(uMv(s, m, s)) > delta) {
      // Back to the previous s, then to the boundary along d.
      for (let i = 0; i < n; i++) s[i] -= alpha * d[i];
      const sMd = uMv(s, m, d);
      const sMs = uMv(s, m, s);
      const dMd = uMv(d, m, d);
      const dsq = delta * delta;
      const rad = Math.sqrt(sMd * sMd + dMd * (dsq - sMs));
      alpha = sMd >= 0 ? (dsq - sMs) / (sMd + rad) : (rad - sMd) / dMd;
      for (let i = 0; i < n; i++) {
        s[i] += alpha * d[i];
        r[i] -= alpha * hd[i];
      }
      return true;
    }
    for (let i = 0; i < n; i++) {
      r[i] -= alpha * hd[i];
      z[i] = r[i] / m[i];
    }
    const zTrNew = dotv(z, r);
    const beta = zTrNew / zTr;
    for (let i = 0; i < n; i++) d[i] = z[i] + beta * d[i];
    zTr = zTrNew;
  }
  return false;
}

/** Mixing of the diagonal preconditioner with the identity (LIBLINEAR's alpha_pcg). */
const PCG_MIX = 0.3;

export interface SolveReport {
  iterations: number;
  passes: number;
}

/**
 * Minimises the objective at C over the first `rows` rows of x, starting from w (warm start),
 * in place. The trust-region updates and constants are LIBLINEAR's (tron.cpp).
 */
export function solveTron(
  x: CompactRows,
  rows: number,
  c: number,
  w: Float64Array,
  p: Pick<BatchLrParams, 'eps' | 'maxIter'>,
  /** Also stop once ‖∇f‖ ≤ relTol · ‖∇f(w at the start)‖ (0: LIBLINEAR's criterion alone). */
  relTol = 0,
  /** CG stops when its residual is this share of the gradient (M⁻¹-norms; LIBLINEAR: 0.1). */
  cgRel = 0.1,
  /**
   * The objective to solve with, kept across the solves of a path (its margins at w, when
   * `current`, spare the first data pass; they are current for the returned w when `current` is).
   */
  obj: Objective = new Objective(x, rows),
): SolveReport {
  if (obj.x !== x || obj.rows !== rows) throw new RangeError('objective of other rows');
  const n = x.dim;
  const passes0 = obj.passes;
  obj.c = c;
  let pos = 0;
  for (let r = 0; r < rows; r++) if (x.y[r] > 0) pos++;
  const eps = (p.eps * Math.max(Math.min(pos, rows - pos), 1)) / Math.max(1, rows);
  // ‖∇f(0)‖ (for the stopping rule, independent of the start), summed once per set of rows.
  const gnorm0 = c * x.halfGradNorm(rows);
  const g = new Float64Array(n);
  // The Hessian's diagonal as grad sums it, and `m`, the preconditioner trcg uses.
  const diag = new Float64Array(n);
  const m = new Float64Array(n);
  let f: number;
  if (obj.current) {
    f = obj.funKept(w);
    if (!obj.rescale(w, c, g, diag)) obj.grad(w, g, diag);
  } else {
    f = obj.fun(w);
    obj.current = true;
    obj.grad(w, g, diag);
  }
  obj.kept = null;
  // Whether g and diag are those of the current w (what the next solve of a path can rescale).
  let fresh = true;
  let gnorm = Math.sqrt(dotv(g, g));
  const stop = Math.max(eps * gnorm0, relTol * gnorm);
  const precondition = (): void => {
    for (let i = 0; i < n; i++) m[i] = 1 - PCG_MIX + PCG_MIX * diag[i];
  };
  precondition();
  let delta = Math.sqrt(uMv(g, m, g));
  const s = new Float64Array(n);
  const r = new Float64Array(n);
  const wNew = new Float64Array(n);
  const work: [Float64Array, Float64Array, Float64Array] = [
    new Float64Array(n),
    new Float64Array(n),
    new Float64Array(n),
  ];
  let iter = 1;
  let adjusted = false;
  const search = !(gnorm <= stop);
  while (iter <= p.maxIter && search) {
    const boundary = trcg(obj, delta, g, m, s, r, cgRel, work);
    for (let i = 0; i < n; i++) wNew[i] = w[i] + s[i];
    const gs = dotv(g, s);
    const prered = -0.5 * (gs - dotv(s, r));
    const fNew = obj.fun(wNew);
    obj.current = false;
    const actred = f - fNew;
    const sMnorm = Math.sqrt(uMv(s, m, s));
    if (iter === 1 && !adjusted) {
      delta = Math.min(delta, sMnorm);
      adjusted = true;
    }
    const alpha = fNew - f - gs <= 0 ? 4 : Math.max(0.25, -0.5 * (gs / (fNew - f - gs)));
    if (actred < 1e-4 * prered) delta = Math.min(alpha * sMnorm, 0.5 * delta);
    else if (actred < 0.25 * prered)
      delta = Math.max(0.25 * delta, Math.min(alpha * sMnorm, 0.5 * delta));
    else if (actred < 0.75 * prered)
      delta = Math.max(0.25 * delta, Math.min(alpha * sMnorm, 4 * delta));
    else delta = boundary ? 4 * delta : Math.max(delta, Math.min(alpha * sMnorm, 4 * delta));
    if (actred > 1e-4 * prered) {
      iter++;
      w.set(wNew);
      f = fNew;
      obj.current = true;
      fresh = false;
      // The last step allowed: its gradient would only be read by the stopping test (a pass saved).
      if (iter > p.maxIter) break;
      obj.grad(w, g, diag);
      fresh = true;
      precondition();
      gnorm = Math.sqrt(dotv(g, g));
      if (gnorm <= stop) break;
    }
    if (prered <= 0) break;
    if (Math.abs(actred) <= 1e-12 * Math.abs(f) && Math.abs(prered) <= 1e-12 * Math.abs(f)) break;
  }
  if (fresh && obj.current) obj.kept = { g, m: diag, c };
  return { iterations: iter - 1, passes: obj.passes - passes0 };
}

/**
 * CG tolerance of the path's points: inexact Newton steps, since the points only rank C (on
 * AdKDD'21's training rows 0.3 took 62 data passes against 80 at LIBLINEAR's 0.1, with the same
 * tail loss at the chosen C to 1e-4; the final refit keeps 0.1).
 */
export const PATH_CG = 0.3;

export interface PathPoint {
  c: number;
  /** The validation score (lower is better) of the solution at c. */
  score: number;
  iterations: number;
}

/**
 * The refinement of the path's best C without another solve: the vertex of the parabola through
 * the best point and its two neighbours' scores in log C (successive parabolic interpolation, as
 * in Brent, "Algorithms for Minimization without Derivatives", 1973, ch. 5). With the middle point
 * the lowest, the vertex lies between the midpoints of its two intervals (the range the bisection
 * step it replaces could reach); the clamp only guards rounding. Undefined when a score is missing
 * or the middle point is not the lowest of the three.
 */
export function parabolicC(lo: PathPoint, mid: PathPoint, hi: PathPoint): number | undefined {
  const [u0, u1, u2] = [Math.log(lo.c), Math.log(mid.c), Math.log(hi.c)];
  const [f0, f1, f2] = [lo.score, mid.score, hi.score];
  if (![f0, f1, f2].every(Number.isFinite) || !(f1 <= f0 && f1 <= f2)) return undefined;
  const a = (u1 - u0) * (f1 - f2);
  const b = (u1 - u2) * (f1 - f0);
  const den = 2 * (a - b);
  if (!(den !== 0)) return undefined;
  const u = u1 - ((u1 - u0) * a - (u1 - u2) * b) / den;
  const lower = (u0 + u1) / 2;
  const upper = (u1 + u2) / 2;
  return Math.exp(Math.min(upper, Math.max(lower, u)));
}

/**
 * The regularisation path over the first `rows` rows: C from the strongest (smallest) up, each
 * solve warm-started from the previous solution, stopping at the first C whose validation score
 * (`score`, lower is better) does not improve. The C returned is refined between the best point
 * and its neighbours by `parabolicC` (no solve: the caller's refit on all rows starts from the
 * best point's solution `w` at that C); without two scored neighbours it is the best point's.
 * Returns the best solution, the chosen C and every point.
 */
export function fitPath(
  x: CompactRows,
  rows: number,
  p: BatchLrParams,
  score: (w: Float64Array) => number,
): { w: Float64Array; c: number; points: PathPoint[]; passes: number; state: ObjectiveState } {
  checkBatchLr(p);
  const w = new Float64Array(x.dim);
  let best: { w: Float64Array; c: number; score: number; state: ObjectiveState | null } = {
    w: w.slice(),
    c: p.cs[0],
    score: Infinity,
    state: null,
  };
  const points: PathPoint[] = [];
  let passes = 0;
  // One objective for the path: each solve starts from the margins the previous one ended at.
  const obj = new Objective(x, rows);
  for (const c of p.cs) {
    const r = solveTron(x, rows, c, w, p, p.pathTol, PATH_CG, obj);
    passes += r.passes;
    const sc = score(w);
    points.push({ c, score: sc, iterations: r.iterations });
    // The first point always counts (a tail without labels scores NaN: the strongest C serves).
    if (points.length > 1 && !(sc < best.score)) break;
    best = { w: w.slice(), c, score: sc, state: obj.save() };
  }
  const k = points.findIndex((pt) => pt.c === best.c);
  const refined =
    k > 0 && k + 1 < points.length
      ? parabolicC(points[k - 1], points[k], points[k + 1])
      : undefined;
  return { w: best.w, c: refined ?? best.c, points, passes, state: best.state! };
}

/**
 * The batch solution as an FTRL logistic regression with the same weights: for each column,
 * n = Σᵢ (pᵢ − yᵢ)² xᵢⱼ² (the squared gradients FTRL would have summed at the solution, so
 * online learning goes on with step sizes fitted to each id's count), over the first `rows` rows (those
 * the solution was fitted on), and z = −w((β + √n)/α + λ₂),
 * which FTRL-Proximal (no L1) maps back to w. `bits` must be the hashing the rows were built with.
 */
export function toLogistic(
  x: CompactRows,
  rows: number,
  w: Float64Array,
  bits: number,
  linear: FtrlParams,
  /** The solve's objective: its margins, when current for w over these rows, spare the dot products. */
  obj?: Objective,
): LogisticRegression {
  if (linear.l1 !== 0) throw new RangeError('a batch solution continues with FTRL without L1');
  const model = LogisticRegression.create(bits, linear);
  const n = new Float64Array(x.dim);
  const { col, val, rowPtr, y } = x;
  const kept = obj && obj.x === x && obj.current && obj.rows === rows ? obj.margins : null;
  for (let r = 0; r < rows; r++) {
    // wᵀx = y · (y wᵀx), y = ±1.
    const p = 1 / (1 + Math.exp(-clamp(kept ? y[r] * kept[r] : x.dot(w, r))));
    const g = p - (y[r] > 0 ? 1 : 0);
    for (let t = rowPtr[r]; t < rowPtr[r + 1]; t++) {
      const v = val ? val[t] : 1;
      n[col[t]] += g * g * v * v;
    }
    n[x.dim - 1] += g * g;
  }
  const { alpha, beta, l2 } = linear;
  const put = (bucket: number, j: number): void => {
    const z = -w[j] * ((beta + Math.sqrt(n[j])) / alpha + l2);
    model.opt.set(bucket, z, n[j]);
  };
  for (let j = 0; j < x.bucketOf.length; j++) put(x.bucketOf[j], j);
  put(model.buckets, x.dim - 1);
  return model;
}
