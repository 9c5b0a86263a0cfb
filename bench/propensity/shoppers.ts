/** UCI Online Shoppers as ../shared/BENCHMARKS.md §4 reads it: label Revenue, data row i is test if i % 5 == 0. */
import { parse } from 'csv-parse/sync';
import type { Design } from '../../server/engine/payments/propensity-model';

/** The categorical columns, as ../shared/anchors/payment_anchor.py one-hot encodes them. */
export const SHOPPERS_CATEGORICAL = [
  'Month',
  'OperatingSystems',
  'Browser',
  'Region',
  'TrafficType',
  'VisitorType',
  'Weekend',
];

export interface LabelledSplit {
  train: Design;
  trainY: Float64Array;
  test: Design;
  testY: Float64Array;
  columns: string[];
}

const truthy = (v: string): number => (/^(true|1)$/i.test(v.trim()) ? 1 : 0);

/**
 * Reads a CSV with a header into train and test designs. Categorical columns become integer
 * codes (a number stays itself, other values their rank among the column's sorted values), the
 * others numbers (empty or unparsable: missing).
 */
export function readCsvSplit(
  text: string,
  label: string,
  categorical: readonly string[],
  isTest: (row: number) => boolean,
): LabelledSplit {
  const records = parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<
    string,
    string
  >[];
  if (!records.length || !(label in records[0])) throw new Error(`no column ${label}`);
  const columns = Object.keys(records[0]).filter((c) => c !== label);
  const cat = columns.map((c) => categorical.includes(c));
  const codes = columns.map((c, f) => {
    if (!cat[f]) return null;
    const distinct = [...new Set(records.map((r) => r[c]))].sort();
    return new Map(
      distinct.map((v, k) => [v, Number.isFinite(Number(v)) && v !== '' ? Number(v) : k]),
    );
  });
  const trainRows: number[][] = [];
  const testRows: number[][] = [];
  const trainY: number[] = [];
  const testY: number[] = [];
  records.forEach((r, i) => {
    const row = columns.map((c, f) => {
      const code = codes[f];
      if (code) return code.get(r[c]) ?? NaN;
      const v = r[c] === '' ? NaN : Number(r[c]);
      return Number.isFinite(v) ? v : NaN;
    });
    if (isTest(i)) {
      testRows.push(row);
      testY.push(truthy(r[label]));
    } else {
      trainRows.push(row);
      trainY.push(truthy(r[label]));
    }
  });
  const design = (rows: number[][]): Design => ({
    x: { rows: rows.length, cols: columns.length, values: Float64Array.from(rows.flat()) },
    categorical: cat,
  });
  return {
    train: design(trainRows),
    trainY: Float64Array.from(trainY),
    test: design(testRows),
    testY: Float64Array.from(testY),
    columns,
  };
}
