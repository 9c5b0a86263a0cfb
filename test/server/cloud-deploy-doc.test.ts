/**
 * docs/cloud-deploy.md lists what server/adapters/cloud/collections.ts declares, and the adapter
 * writes collection names nowhere else.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ALL_COLLECTIONS } from '../../server/adapters/cloud/collections';
import { DOC_PATH, END, renderCollections, START } from '../../scripts/cloud-indexes';

const ADAPTER_DIR = path.join(__dirname, '..', '..', 'server', 'adapters', 'cloud');

describe('cloud deploy document', () => {
  it('holds the generated collection and index tables (run `npm run docs:cloud-indexes` after changing collections.ts)', () => {
    const doc = fs.readFileSync(DOC_PATH, 'utf8');
    const a = doc.indexOf(START);
    const b = doc.indexOf(END);
    expect(a).toBeGreaterThanOrEqual(0);
    expect(b).toBeGreaterThan(a);
    expect(doc.slice(a + START.length, b).trim()).toBe(renderCollections().trim());
  });

  it('names every declared collection and index', () => {
    const table = renderCollections();
    for (const c of ALL_COLLECTIONS) {
      expect(table).toContain(`| \`${c.name}\` |`);
      for (const i of c.indexes) {
        expect(i.name).toMatch(/^[A-Za-z0-9_]+$/);
        expect(table).toContain(`\`${i.name}\``);
      }
    }
  });

  it('keeps collection names out of the adapter code: collections.ts is the one place', () => {
    const names = new Set(ALL_COLLECTIONS.map((c) => c.name));
    const offenders: string[] = [];
    for (const file of fs
      .readdirSync(ADAPTER_DIR)
      .filter((f) => f.endsWith('.ts') && f !== 'collections.ts')) {
      // Comments may name a collection; code may not.
      const src = fs
        .readFileSync(path.join(ADAPTER_DIR, file), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '');
      for (const m of src.matchAll(/'([a-z_]+)'|"([a-z_]+)"|`([a-z_]+)`/g)) {
        const word = m[1] ?? m[2] ?? m[3];
        if (names.has(word)) offenders.push(`${file}: '${word}'`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
