/**
 * Identifiers that stand in for users (issue 21): comment pseudonyms and erasure tombstones are
 * keyed HMACs (whoever knows an openid cannot recompute them), and the erased-user placeholder
 * can never be a caller's identity.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { identifierKeyBytes, loadConfig } from '../../../server/config';
import { authorLabel } from '../../../server/content/comments';
import { ERASED_USER } from '../../../server/ports/personal-data';
import { subjectOf } from '../../../server/privacy/subject';
import { defineFunction, toHandler } from '../../../server/runtime/function';
import { testDeps } from '../../helpers/deps';
import type { Stores } from '../../../server/ports';

const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('base64');
const cfg = (identifierKey: string, blobEncryptionKey = '') => ({
  identifierKey,
  blobEncryptionKey,
});

describe('identifier key', () => {
  it('uses IDENTIFIER_KEY, else derives one from the blob key that is not the blob key', () => {
    expect(identifierKeyBytes(cfg(keyA))).toEqual(Buffer.from(keyA, 'base64'));
    const derived = identifierKeyBytes(cfg('', keyB));
    expect(derived).toHaveLength(32);
    expect(derived).not.toEqual(Buffer.from(keyB, 'base64'));
    expect(derived).not.toEqual(identifierKeyBytes(cfg('', '')));
  });

  it('refuses a malformed IDENTIFIER_KEY at start', () => {
    expect(() => loadConfig({ IDENTIFIER_KEY: 'short' })).toThrow(/IDENTIFIER_KEY/);
  });
});

describe('comment pseudonyms', () => {
  const c = { itemId: 'item-1', openid: 'oVictim_123' };
  it('depend on the server key: the unkeyed hash of item and openid no longer finds a person', () => {
    const a = authorLabel(c, 'someone', identifierKeyBytes(cfg(keyA)));
    const b = authorLabel(c, 'someone', identifierKeyBytes(cfg(keyB)));
    expect(a).not.toBe(b);
    const unkeyed = createHash('sha256').update(`${c.itemId}\u0000${c.openid}`).digest('hex');
    expect(a).not.toContain(unkeyed.slice(0, 4).toUpperCase());
    expect(a).toMatch(/^用户[0-9A-F]{8}$/);
  });

  it('stay stable within an item and differ between items', () => {
    const k = identifierKeyBytes(cfg(keyA));
    expect(authorLabel(c, 'x', k)).toBe(authorLabel(c, 'y', k));
    expect(authorLabel(c, 'x', k)).not.toBe(authorLabel({ ...c, itemId: 'item-2' }, 'x', k));
  });
});

describe('erasure tombstones', () => {
  it('are keyed: the unkeyed hash of the openid is not the subject', () => {
    const s = subjectOf('oVictim_123', cfg(keyA));
    expect(s).not.toBe(
      createHash('sha256').update('recsys-erasure\u0000oVictim_123').digest('hex'),
    );
    expect(s).not.toBe(subjectOf('oVictim_123', cfg(keyB)));
    expect(s).toBe(subjectOf('oVictim_123', cfg(keyA)));
  });
});

describe('the erased-user placeholder', () => {
  it('fails the openid format, so no caller is ever taken for it', async () => {
    const fn = defineFunction({
      name: 'content',
      input: z.strictObject({}) as never,
      async handle() {
        return {} as never;
      },
    });
    const res = await toHandler(fn)({ payload: {}, openid: ERASED_USER }, testDeps({} as Stores));
    expect(res).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
  });
});
