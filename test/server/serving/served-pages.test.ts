/**
 * The golden of served pages: the same seeded world and requests give the same pages and the same
 * logged slates, byte for byte (test/helpers/served-pages.ts). A refactor of serving must leave
 * the snapshot untouched; a change meant to alter what is served updates it (`npx jest -u`) and
 * says why in its commit.
 */
import { servedPagesTranscript } from '../../helpers/served-pages';

// Seeding the world trains a small click model (30,000 examples): seconds, more on a busy machine.
jest.setTimeout(180_000);

describe('served pages over a fixed seeded world', () => {
  it('answers and logs the same pages as the reviewed golden', async () => {
    const pages = await servedPagesTranscript();
    // The transcript exercises what it claims to: a model scored, ads served, an explored card, a replay.
    expect(pages.every((p) => p.cards.length > 0)).toBe(true);
    expect(pages.some((p) => p.cards.some((c) => c.includes(' ad ')))).toBe(true);
    expect(pages.some((p) => p.slate?.some((l) => l.endsWith('explored')))).toBe(true);
    expect(pages.some((p) => p.cards.some((c) => c.includes('pctr=')))).toBe(true);
    // A retry answers the logged slate: the same cards at the same positions.
    const [kept, retried] = pages.slice(1, 3);
    expect(retried.slate).toEqual(kept.slate);
    expect(retried.cards.map((c) => c.split(' pctr')[0])).toEqual(
      kept.cards.map((c) => c.split(' pctr')[0]),
    );
    expect(pages.filter((p) => p.label.startsWith('no consent')).every((p) => !p.slate)).toBe(true);
    expect(pages).toMatchSnapshot();
  });
});
