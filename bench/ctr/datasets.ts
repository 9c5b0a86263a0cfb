/**
 * Readers of the CTR benchmark data sets, each following ../shared/BENCHMARKS.md §1 exactly
 * (the same split and tokens as ../shared/anchors/ctr_anchor.py), plus the generic
 * libsvm/libFM and CSV forms given on the command line.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** One raw row: split, label (NaN when unreadable: the learner refuses and counts it), tokens. */
export interface RawRow {
  test: boolean;
  label: number;
  /** [field, value, x] triples; x is 1 for categorical tokens. */
  tokens: Array<[string, string, number]>;
}

export interface DatasetSpec {
  name: string;
  /** Files that must exist for the data set to run. */
  files: string[];
  rows(): Iterable<RawRow>;
}

/** The lines of a text, without line ends; scanned lazily so that no array of all lines is held (peak memory). */
function* lines(text: string): Generator<string> {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    start = end + 1;
    yield line;
  }
}

const readText = (file: string): string =>
  file.endsWith('.gz')
    ? gunzipSync(readFileSync(file)).toString('utf8')
    : readFileSync(file, 'utf8');

/** Criteo AdKDD'21: data row i is test if i % 5 == 0; every column categorical. */
export function adkdd21(dir: string): DatasetSpec {
  const x = join(dir, 'X_train.csv.gz');
  const y = join(dir, 'y_train.csv.gz');
  return {
    name: 'adkdd21',
    files: [x, y],
    *rows() {
      const xs = lines(readText(x));
      const ys = lines(readText(y));
      const header = (xs.next().value ?? '').split(',');
      ys.next();
      let i = 0;
      for (const row of xs) {
        const vals = row.split(',');
        const tokens: RawRow['tokens'] = vals.map((v, k) => [String(k), v, 1]);
        if (vals.length !== header.length) tokens.length = 0;
        const yRow = ys.next();
        yield {
          test: i % 5 === 0,
          label: binaryLabel(yRow.done ? '' : yRow.value.split(',')[0]),
          tokens,
        };
        i++;
      }
    },
  };
}

/** 1 / +1 / true → 1; 0 / -1 / false → 0; anything else NaN (refused and counted by the learner). */
export function binaryLabel(raw: string): number {
  const t = raw.trim().toLowerCase();
  if (t === 'true') return 1;
  if (t === 'false') return 0;
  if (t === '') return NaN;
  const v = Number(t);
  return v === 1 ? 1 : v === 0 || v === -1 ? 0 : NaN;
}

/**
 * Whether every row of these libsvm / libFM files has the same number of entries. libFM files
 * written from a fixed schema (Frappe) list one entry per field in field order, so the entry's
 * position is its field; field-aware models need that, and the tokens stay one per index.
 */
export function fixedWidth(files: string[]): boolean {
  let width = -1;
  for (const file of files) {
    for (const line of lines(readText(file))) {
      const t = line.trim();
      if (t === '') continue;
      const n = t.split(/\s+/).length - 1;
      if (width < 0) width = n;
      else if (n !== width) return false;
    }
  }
  return width > 0;
}

/**
 * libsvm / libFM text: `label index:value ...`. Each index is one feature (token `i=index`, or
 * `f<position>=index` when the files are `positional`, see fixedWidth).
 */
export function* libsvmRows(file: string, test: boolean, positional = false): Iterable<RawRow> {
  for (const line of lines(readText(file))) {
    const parts = line.trim().split(/\s+/);
    if (parts.length === 0 || parts[0] === '') continue;
    const tokens: RawRow['tokens'] = [];
    for (let j = 1; j < parts.length; j++) {
      const c = parts[j].lastIndexOf(':');
      const index = c < 0 ? parts[j] : parts[j].slice(0, c);
      const value = c < 0 ? 1 : Number(parts[j].slice(c + 1));
      tokens.push([positional ? `f${j - 1}` : 'i', index, value]);
    }
    yield { test, label: binaryLabel(parts[0]), tokens };
  }
}

/** Frappe, NFM's libFM split: train = validation file, test = test file. */
export function frappe(dir: string): DatasetSpec {
  const tr = join(dir, 'frappe.validation.libfm');
  const te = join(dir, 'frappe.test.libfm');
  return {
    name: 'frappe',
    files: [tr, te],
    *rows() {
      const positional = fixedWidth([tr, te]);
      yield* libsvmRows(tr, false, positional);
      yield* libsvmRows(te, true, positional);
    },
  };
}

/** Criteo DAC integer field: missing → NA, v ≤ 2 → v, else floor(ln(v)²) (the anchor's rule). */
export function criteoInt(v: string): string {
  if (v === '') return 'NA';
  const n = parseInt(v, 10);
  return String(n <= 2 ? n : Math.floor(Math.log(n) ** 2));
}

/** Criteo DAC 8k: train = train.csv, test = dev.csv + test.csv (tab-separated, no header). */
export function criteo8k(dir: string): DatasetSpec {
  const parts: Array<[string, boolean]> = [
    ['train.csv', false],
    ['dev.csv', true],
    ['test.csv', true],
  ];
  return {
    name: 'criteo8k',
    files: parts.map(([f]) => join(dir, f)),
    *rows() {
      for (const [f, test] of parts) {
        for (const line of lines(readText(join(dir, f)))) {
          const p = line.split('\t');
          const tokens: RawRow['tokens'] = [];
          for (let j = 1; j < 14; j++) tokens.push([`I${j}`, criteoInt(p[j] ?? ''), 1]);
          for (let j = 14; j < 40; j++) tokens.push([`C${j - 13}`, p[j] || 'NA', 1]);
          yield { test, label: binaryLabel(p[0]), tokens };
        }
      }
    },
  };
}

/** A CSV with a header: --label COL is the label, every other column a categorical field. */
export function* csvRows(file: string, labelCol: string, test: boolean): Iterable<RawRow> {
  const all = lines(readText(file));
  const header = (all.next().value ?? '').split(',').map((h: string) => h.trim());
  const li = header.indexOf(labelCol);
  if (li < 0) throw new Error(`${file}: no column "${labelCol}" in the header`);
  for (const line of all) {
    if (line === '') continue;
    const vals = line.split(',');
    const tokens: RawRow['tokens'] = [];
    for (let c = 0; c < header.length; c++)
      if (c !== li) tokens.push([header[c], (vals[c] ?? '').trim() || 'NA', 1]);
    yield { test, label: binaryLabel(vals[li] ?? ''), tokens };
  }
}

/** A data set given on the command line: libsvm/libFM form, or CSV when a label column is named. */
export function generic(train: string, test: string, labelCol?: string): DatasetSpec {
  return {
    name: basename(train),
    files: [train, test],
    *rows() {
      if (labelCol) {
        yield* csvRows(train, labelCol, false);
        yield* csvRows(test, labelCol, true);
      } else {
        const positional = fixedWidth([train, test]);
        yield* libsvmRows(train, false, positional);
        yield* libsvmRows(test, true, positional);
      }
    },
  };
}

export const missingFiles = (spec: DatasetSpec): string[] =>
  spec.files.filter((f) => !existsSync(f));
