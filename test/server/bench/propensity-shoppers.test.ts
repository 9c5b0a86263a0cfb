/** bench:propensity's reading of UCI Online Shoppers (BENCHMARKS.md §4), on a tiny CSV of the same layout. */
import { readCsvSplit } from '../../../bench/propensity/shoppers';
import { linearEncoding, linearRows } from '../../../server/engine/payments/propensity-model';

const csv = [
  'PageValues,Month,Browser,Weekend,Revenue',
  '0,Feb,1,FALSE,FALSE',
  '12.5,Mar,2,TRUE,TRUE',
  ',Feb,2,FALSE,FALSE',
  '3,Nov,1,TRUE,TRUE',
  '7,Mar,3,FALSE,FALSE',
  '1,Nov,1,FALSE,TRUE',
].join('\r\n');

describe('readCsvSplit', () => {
  const s = readCsvSplit(csv, 'Revenue', ['Month', 'Browser', 'Weekend'], (i) => i % 5 === 0);

  it('puts data row i in the test set when i % 5 == 0 and reads TRUE/FALSE labels', () => {
    expect(s.testY.length).toBe(2);
    expect(Array.from(s.testY)).toEqual([0, 1]);
    expect(Array.from(s.trainY)).toEqual([1, 0, 1, 0]);
    expect(s.columns).toEqual(['PageValues', 'Month', 'Browser', 'Weekend']);
  });

  it('codes categorical columns (numbers stay, words by sorted rank) and keeps a missing number missing', () => {
    expect(s.train.categorical).toEqual([false, true, true, true]);
    const row = (i: number) => Array.from(s.train.x.values.subarray(i * 4, i * 4 + 4));
    // Months sorted: Feb 0, Mar 1, Nov 2; Weekend sorted: FALSE 0, TRUE 1.
    expect(row(0)).toEqual([12.5, 1, 2, 1]);
    expect(Number.isNaN(row(1)[0])).toBe(true);
  });

  it('one-hot encodes the categorical columns for the linear model, log-transforming numbers', () => {
    const enc = linearEncoding(s.train);
    const m = linearRows(s.test, enc);
    // PageValues + Month {Feb, Mar, Nov} + Browser {1, 2, 3} + Weekend {0, 1}
    expect(m.cols).toBe(1 + 3 + 3 + 2);
    expect(Array.from(m.values.subarray(0, 9))).toEqual([0, 1, 0, 0, 1, 0, 0, 1, 0]);
    expect(m.values[9]).toBeCloseTo(Math.log1p(1), 12);
  });
});
