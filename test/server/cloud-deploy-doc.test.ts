/**
 * docs/cloud-deploy.md lists what server/adapters/cloud/collections.ts and the function
 * definitions declare (indexes, timeouts), deploy/ holds the security rules generated from them,
 * and the adapter writes collection names nowhere else.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ALL_COLLECTIONS } from '../../server/adapters/cloud/collections';
import {
  DEPLOY_DIR,
  DOC_PATH,
  END,
  renderCollections,
  renderRuleFile,
  renderTimeouts,
  RULE_FILES,
  START,
  TIMEOUTS_END,
  TIMEOUTS_START,
} from '../../scripts/cloud-indexes';
import { AD_IMAGE_PATH } from '../../server/adapters/cloud/rules';
import { BLOB_PREFIX } from '../../server/adapters/cloud/blob-store';

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

  it('holds the generated timeouts table', () => {
    const doc = fs.readFileSync(DOC_PATH, 'utf8');
    const a = doc.indexOf(TIMEOUTS_START);
    const b = doc.indexOf(TIMEOUTS_END);
    expect(a).toBeGreaterThanOrEqual(0);
    expect(doc.slice(a + TIMEOUTS_START.length, b).trim()).toBe(renderTimeouts().trim());
  });

  it.each(Object.keys(RULE_FILES) as (keyof typeof RULE_FILES)[])(
    'deploy/%s is the generated rules file',
    (name) => {
      expect(fs.readFileSync(path.join(DEPLOY_DIR, name), 'utf8')).toBe(renderRuleFile(name));
    },
  );

  it('closes every declared collection to clients, and names no other', () => {
    const rules = JSON.parse(
      fs.readFileSync(path.join(DEPLOY_DIR, 'database.rules.json'), 'utf8'),
    ) as Record<string, unknown>;
    expect(Object.keys(rules).sort()).toEqual(ALL_COLLECTIONS.map((c) => c.name).sort());
    for (const rule of Object.values(rules)) expect(rule).toEqual({ read: false, write: false });
  });

  it("lets clients read and create ad images only: never the functions' blobs", async () => {
    const rules = JSON.parse(
      fs.readFileSync(path.join(DEPLOY_DIR, 'storage.rules.json'), 'utf8'),
    ) as { read: string; write: string };
    // The rule language's regex literal, as the storage service reads it from the JSON string.
    const m = /^\/(.+)\/\.test\(resource\.path\) == true$/.exec(rules.read);
    expect(m).not.toBeNull();
    const readable = new RegExp(m![1]);
    expect(readable.source).toBe(AD_IMAGE_PATH.source);
    expect(rules.write).toContain('resource.openid == auth.openid');
    expect(rules.write).toContain(rules.read);
    // Where the Mini Program's uploader puts an image: ads/<UUID>.<jpg|png|webp>
    // (pinned by test/miniprogram/api/upload.test.ts).
    const uuid = '0b7c7c1e-3f1a-4d5e-9c2b-8a6f4e2d1c0b';
    const paths = ['png', 'jpg', 'webp'].map((ext) => `ads/${uuid}.${ext}`);
    for (const p of paths) expect(readable.test(p)).toBe(true);
    for (const p of [
      `${BLOB_PREFIX}${'a'.repeat(64)}`,
      'recsys/blobs/models/ctr/v1',
      'ads/../recsys/blobs/x.png',
      'ads/x.png/extra',
      'uploads/x.png',
      'ads/x.svg',
    ])
      expect(readable.test(p)).toBe(false);
  });
});
