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
import { AD_IMAGE_PATH, STAGED_IMAGE_PATH } from '../../server/adapters/cloud/rules';
import { stagingFolderOf } from '../../server/merchant/images';
import { loadConfig } from '../../server/config';
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

  it("lets clients read published ad images only, and create files only in a staging folder: never under ads/, never the functions' blobs", async () => {
    const rules = JSON.parse(
      fs.readFileSync(path.join(DEPLOY_DIR, 'storage.rules.json'), 'utf8'),
    ) as { read: string; write: string };
    // The rule language's regex literal, as the storage service reads it from the JSON string.
    const m = /^\/(.+)\/\.test\(resource\.path\) == true$/.exec(rules.read);
    expect(m).not.toBeNull();
    const readable = new RegExp(m![1]);
    expect(readable.source).toBe(AD_IMAGE_PATH.source);
    const w =
      /^auth != null && auth\.openid != null && resource\.openid == auth\.openid && \/(.+)\/\.test\(resource\.path\) == true$/.exec(
        rules.write,
      );
    expect(w).not.toBeNull();
    const writable = new RegExp(w![1]);
    expect(writable.source).toBe(STAGED_IMAGE_PATH.source);
    // Where image.publish puts an image: ads/<sha256>.<ext>; readable, never writable by a client.
    const published = ['png', 'jpg', 'webp'].map((ext) => `ads/${'a'.repeat(64)}.${ext}`);
    for (const p of published) {
      expect(readable.test(p)).toBe(true);
      expect(writable.test(p)).toBe(false);
    }
    // Where image.stage tells a client to upload (server/merchant/images.ts): writable, never readable.
    const folder = stagingFolderOf({ config: loadConfig({}) }, 'o-someone');
    const staged = ['png', 'jpg', 'webp'].map(
      (ext) => `uploads/${folder}/0b7c7c1e3f1a4d5e9c2b8a6f4e2d1c0b.${ext}`,
    );
    for (const p of staged) {
      expect(writable.test(p)).toBe(true);
      expect(readable.test(p)).toBe(false);
    }
    for (const p of [
      `${BLOB_PREFIX}${'a'.repeat(64)}`,
      'recsys/blobs/models/ctr/v1',
      'ads/../recsys/blobs/x.png',
      'ads/x.png/extra',
      'uploads/x.png',
      `uploads/${folder}/../../ads/x.png`,
      `uploads/${folder}/x.svg`,
      'ads/x.svg',
    ]) {
      expect(readable.test(p)).toBe(false);
      expect(writable.test(p)).toBe(false);
    }
  });
});
