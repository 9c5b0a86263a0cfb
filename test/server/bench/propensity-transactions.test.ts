/** bench:propensity's transaction mode on a small generated log (CDNOW layout), through its functions and its CLI. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mulberry32 } from '../../../server/engine/models/rng';
import { DAY_MS } from '../../../server/engine/payments/records';
import {
  parseTransactions,
  parseYmd,
  transactionSplit,
} from '../../../bench/propensity/transactions';

const repoRoot = resolve(__dirname, '../../..');

/** 1,000 customers over 1997–1998; each buys at their own rate, so past frequency predicts the future. */
function generatedLog(): string {
  const rng = mulberry32(11);
  const lines: string[] = [];
  const start = Date.UTC(1997, 0, 1);
  for (let c = 1; c <= 1000; c++) {
    const perDay = rng() < 0.6 ? 0.001 + rng() * 0.004 : 0.01 + rng() * 0.04;
    const first = Math.floor(rng() * 90);
    for (let d = first; d < 540; d++) {
      if (d !== first && !(rng() < perDay)) continue;
      const ymd = new Date(start + d * DAY_MS).toISOString().slice(0, 10).replace(/-/g, '');
      const qty = 1 + Math.floor(rng() * 4);
      lines.push(
        `${String(c).padStart(5, '0')} ${ymd} ${qty} ${(qty * (5 + rng() * 20)).toFixed(2)}`,
      );
    }
  }
  return lines.join('\n') + '\nnot a line\n';
}

describe('bench:propensity --transactions', () => {
  const text = generatedLog();

  it('parses the log, skipping malformed lines', () => {
    const log = parseTransactions(text);
    expect(log.skipped).toBe(1);
    expect(log.orders.length).toBe(text.trim().split('\n').length - 1);
    expect(log.orders[0].amountFen).toBe(
      Math.round(Number(text.split('\n')[0].split(' ')[3]) * 100),
    );
    expect(parseYmd('19970230')).toBeNaN();
    expect(parseYmd('1997-09-30')).toBe(Date.UTC(1997, 8, 30));
  });

  it('splits customers by id % 5 and labels purchases in the horizon only', () => {
    const log = parseTransactions(text);
    const cal = parseYmd('1997-09-30');
    const end = parseYmd('1998-06-30');
    const { train, test } = transactionSplit(log.orders, cal, end);
    expect(test.users.every((u) => Number(u) % 5 === 0)).toBe(true);
    expect(train.users.some((u) => Number(u) % 5 === 0)).toBe(false);
    expect(train.users.length + test.users.length).toBe(1000);
    const bought = new Set(
      log.orders.filter((o) => o.paidAt >= cal && o.paidAt < end).map((o) => o.user),
    );
    test.users.forEach((u, i) => expect(test.labels[i]).toBe(bought.has(u) ? 1 : 0));
  });

  it('prints {"auc", "logloss", "seconds"} with --json, and an AUC well above chance', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prop-'));
    try {
      const file = join(dir, 'log.txt');
      writeFileSync(file, text);
      const out = execFileSync(
        process.execPath,
        [
          join(repoRoot, 'node_modules/tsx/dist/cli.mjs'),
          join(repoRoot, 'bench/propensity.ts'),
          '--transactions',
          file,
          '--calibration-end',
          '1997-09-30',
          '--horizon-end',
          '1998-06-30',
          '--json',
        ],
        { encoding: 'utf8', cwd: repoRoot },
      );
      const r = JSON.parse(out.trim());
      expect(Object.keys(r).sort()).toEqual(['auc', 'logloss', 'seconds']);
      expect(r.auc).toBeGreaterThan(0.7);
      expect(r.logloss).toBeLessThan(0.69);
      expect(r.seconds).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses a horizon that does not end after the calibration', () => {
    expect(() => transactionSplit([], parseYmd('1998-01-01'), parseYmd('1997-01-01'))).toThrow(
      RangeError,
    );
  });
});
