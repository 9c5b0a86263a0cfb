/**
 * Word analyzer: a domain dictionary (longest match first, the merchant's words kept whole),
 * an injected word segmenter (jieba in production) for the rest, and synonyms mapped to one
 * canonical word. Pure: the segmenter is passed in, so the engine loads no dictionary file.
 */
import { cleanToken, fold } from './normalize';

/** Splits text into words (e.g. jieba's precise mode with HMM). */
export type Segmenter = (text: string) => string[];

export interface AnalyzerOptions {
  /** Words never split (product names, the merchant's terms); matched longest first. */
  dictionary?: readonly string[];
  /** Synonym groups: every word of a group is replaced by the group's first word (and kept whole). */
  synonyms?: readonly (readonly string[])[];
}

/** Words longer than this are not dictionary entries (keeps the longest-match scan bounded). */
export const MAX_DICTIONARY_WORD = 16;

export class Analyzer {
  private readonly words: Set<string>;
  private readonly maxLen: number;
  private readonly canonical = new Map<string, string>();

  constructor(
    private readonly segment: Segmenter,
    opts: AnalyzerOptions = {},
  ) {
    // Synonyms are dictionary words too: a synonym the segmenter splits could never be mapped.
    this.words = new Set(
      [...(opts.dictionary ?? []), ...(opts.synonyms ?? []).flat()]
        .map((w) => cleanToken(fold(w)))
        .filter((w) => w.length >= 2 && w.length <= MAX_DICTIONARY_WORD),
    );
    this.maxLen = Math.max(0, ...Array.from(this.words, (w) => w.length));
    for (const group of opts.synonyms ?? []) {
      const words = group.map((w) => cleanToken(fold(w))).filter((w) => w.length > 0);
      for (const w of words.slice(1)) if (!this.canonical.has(w)) this.canonical.set(w, words[0]);
    }
  }

  /** The words of text: folded, dictionary words whole, punctuation dropped, synonyms canonical. */
  tokens(text: string): string[] {
    const out: string[] = [];
    const push = (raw: string): void => {
      const t = cleanToken(raw);
      if (t) out.push(this.canonical.get(t) ?? t);
    };
    const s = fold(text);
    if (this.words.size === 0) {
      for (const w of this.segment(s)) push(w);
      return out;
    }
    // Longest dictionary match at each position; the stretches between matches go to the segmenter.
    let start = 0;
    let i = 0;
    while (i < s.length) {
      let hit = 0;
      for (let len = Math.min(this.maxLen, s.length - i); len >= 2; len--) {
        if (this.words.has(s.slice(i, i + len))) {
          hit = len;
          break;
        }
      }
      if (hit === 0) {
        i++;
        continue;
      }
      if (i > start) for (const w of this.segment(s.slice(start, i))) push(w);
      push(s.slice(i, i + hit));
      i += hit;
      start = i;
    }
    if (start < s.length) for (const w of this.segment(s.slice(start))) push(w);
    return out;
  }
}
