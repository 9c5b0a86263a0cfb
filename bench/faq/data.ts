/** ATEC / LCQMC / AFQMC question pairs read and split exactly as ../shared/datasets/faq/README.md says. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export type PairFormat = 'atec' | 'lcqmc' | 'afqmc';

export interface Row {
  q1: string;
  q2: string;
  label: 0 | 1;
}

const CANDIDATES: Record<PairFormat, string[]> = {
  atec: ['atec_nlp_sim_train.csv.gz', 'atec_nlp_sim_train.csv'],
  lcqmc: ['test.txt', 'test.txt.gz', 'lcqmc/test.txt', 'lcqmc/test.txt.gz'],
  afqmc: ['dev.json', 'afqmc/dev.json', 'afqmc_public/dev.json'],
};

/** The data file at path (a file, or a folder holding one), or null when there is none. */
export function findFile(path: string, format: PairFormat): string | null {
  if (existsSync(path) && statSync(path).isFile()) return path;
  for (const name of CANDIDATES[format]) {
    const full = join(path, name);
    if (existsSync(full) && statSync(full).isFile()) return full;
  }
  return null;
}

const clean = (s: string): string => s.replace(/\uFEFF/g, '').trim();

/** Rows in file order, with the raw bytes' sha256. */
export function readPairs(file: string, format: PairFormat): { sha256: string; rows: Row[] } {
  const raw = readFileSync(file);
  const sha256 = createHash('sha256').update(raw).digest('hex');
  const text = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  const rows: Row[] = [];
  for (let line of text.split('\n')) {
    line = line.replace(/\r$/, '');
    if (!line.trim()) continue;
    let q1: string, q2: string, label: unknown;
    if (format === 'afqmc') {
      const rec = JSON.parse(line);
      [q1, q2, label] = [rec.sentence1, rec.sentence2, rec.label];
    } else {
      let fields = line.split('\t');
      if (format === 'atec') fields = fields.slice(1); // the leading field is the row number
      [q1, q2, label] = fields;
    }
    const y = Number.parseInt(String(label).trim(), 10);
    if (y !== 0 && y !== 1) throw new Error(`${file}: label ${String(label)} is neither 0 nor 1`);
    rows.push({ q1: clean(q1), q2: clean(q2), label: y });
  }
  return { sha256, rows };
}

/** Kept rows (q1 ≠ q2, first row of each unordered pair), then test (j % 5 == 0) / training. */
export function splitRows(rows: readonly Row[]): { kept: Row[]; train: Row[]; test: Row[] } {
  const seen = new Set<string>();
  const kept: Row[] = [];
  for (const r of rows) {
    if (r.q1 === r.q2) continue;
    const key = r.q1 < r.q2 ? `${r.q1}\u0000${r.q2}` : `${r.q2}\u0000${r.q1}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(r);
  }
  return {
    kept,
    train: kept.filter((_, j) => j % 5 !== 0),
    test: kept.filter((_, j) => j % 5 === 0),
  };
}

/** Every distinct question of the rows, in code-point order. */
export function distinctQuestions(rows: readonly Row[]): string[] {
  const set = new Set<string>();
  for (const r of rows) set.add(r.q1).add(r.q2);
  return [...set].sort(codePointCompare);
}

/** Code-point order (JS's default sort compares UTF-16 units, which differs above U+FFFF). */
export function codePointCompare(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

export interface RetrievalTask {
  docs: string[];
  docId: Map<string, number>;
  queries: string[];
  relevant: Map<string, Set<number>>;
}

/** The test collection: queries = distinct q1 of positive rows, documents = their distinct q2. */
export function retrievalTask(rows: readonly Row[]): RetrievalTask {
  const pos = rows.filter((r) => r.label === 1);
  const docs = [...new Set(pos.map((r) => r.q2))].sort(codePointCompare);
  const docId = new Map(docs.map((d, i) => [d, i]));
  const relevant = new Map<string, Set<number>>();
  for (const r of pos) {
    let s = relevant.get(r.q1);
    if (!s) relevant.set(r.q1, (s = new Set()));
    s.add(docId.get(r.q2)!);
  }
  return { docs, docId, queries: [...relevant.keys()], relevant };
}
