/**
 * Writes a generated click log of the "id-heavy" shape (a handful of fields, mostly
 * high-cardinality ids with heavy-tailed counts, additive effects, no interaction) as train.csv and
 * test.csv (the last `--test-share` of the rows, as a log is split in time), for
 * `npm run bench:ctr -- --train DIR/train.csv --test DIR/test.csv --label click --anchors`.
 *
 *   npx tsx bench/ctr/generate-idheavy.ts --seed 1 --out /tmp/idheavy-1 [--rows 100000] [--test-share 0.2]
 *
 * Fields (name: distinct ids, draw, effect scale): user 30,000, item 8,000, publisher 2,000 drawn
 * as ⌊N·u³⌋ (u uniform: a few ids are frequent, most are seen once or twice), device 300 and hour
 * 24 drawn uniformly. Each id's effect is a centred Irwin–Hall(4) draw times its field's scale
 * (1.4, 1.6, 1.0, 0.5, 0.3); the click is Bernoulli(σ(−2.2 + Σ effects)). The seed draws both the
 * effects and the rows, so each seed is a different log of the same shape. The parameters are the
 * shape described in docs/benchmarks.md (issue 15), fixed once; no model was tuned on them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { mulberry32 } from '../../server/engine/models/rng';

export interface IdHeavyField {
  name: string;
  ids: number;
  /** Exponent of the id draw ⌊ids · u^power⌋ (1: uniform; 3: heavy-tailed counts). */
  power: number;
  scale: number;
}

export const ID_HEAVY_FIELDS: IdHeavyField[] = [
  { name: 'user', ids: 30_000, power: 3, scale: 1.4 },
  { name: 'item', ids: 8_000, power: 3, scale: 1.6 },
  { name: 'publisher', ids: 2_000, power: 3, scale: 1.0 },
  { name: 'device', ids: 300, power: 1, scale: 0.5 },
  { name: 'hour', ids: 24, power: 1, scale: 0.3 },
];

export const ID_HEAVY_BIAS = -2.2;

/** The rows of one generated log: each a list of id strings (one per field) and the label. */
export function* idHeavyRows(
  seed: number,
  rows: number,
  fields: IdHeavyField[] = ID_HEAVY_FIELDS,
): Generator<{ ids: string[]; click: number }> {
  const rand = mulberry32(seed);
  // Effects drawn up front from the seed's own stream, so that they differ between seeds.
  const effects = fields.map((f) =>
    Float64Array.from({ length: f.ids }, () => f.scale * (rand() + rand() + rand() + rand() - 2)),
  );
  for (let r = 0; r < rows; r++) {
    let t = ID_HEAVY_BIAS;
    const ids: string[] = [];
    for (let k = 0; k < fields.length; k++) {
      const f = fields[k];
      const id = Math.min(f.ids - 1, Math.floor(f.ids * rand() ** f.power));
      t += effects[k][id];
      ids.push(String(id));
    }
    yield { ids, click: rand() < 1 / (1 + Math.exp(-t)) ? 1 : 0 };
  }
}

function main(): void {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '1' },
      rows: { type: 'string', default: '100000' },
      out: { type: 'string' },
      'test-share': { type: 'string', default: '0.2' },
    },
  });
  const seed = Number(values.seed);
  const rows = Number(values.rows);
  const share = Number(values['test-share']);
  if (!values.out || !Number.isInteger(seed) || !Number.isInteger(rows) || rows < 10)
    throw new Error('usage: generate-idheavy.ts --seed N --out DIR [--rows N] [--test-share S]');
  if (!(share > 0 && share < 1)) throw new Error('--test-share must be in (0, 1)');
  const dir = resolve(values.out);
  mkdirSync(dir, { recursive: true });
  const header = [...ID_HEAVY_FIELDS.map((f) => f.name), 'click'].join(',');
  const cut = Math.floor(rows * (1 - share));
  const train: string[] = [header];
  const test: string[] = [header];
  let i = 0;
  for (const row of idHeavyRows(seed, rows))
    (i++ < cut ? train : test).push(`${row.ids.join(',')},${row.click}`);
  writeFileSync(join(dir, 'train.csv'), `${train.join('\n')}\n`);
  writeFileSync(join(dir, 'test.csv'), `${test.join('\n')}\n`);
  process.stdout.write(`${dir}: ${cut} train rows, ${rows - cut} test rows (seed ${seed})\n`);
}

if (require.main === module) main();
