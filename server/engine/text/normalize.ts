/** Text normalisation shared by every analyzer of the text engine (same rule as the FAQ anchors). */

// Punctuation (P), separators (Z) and control/format/unassigned characters (C) carry no meaning
// for matching questions; U+FEFF is a format character, so it goes too.
const DROPPED = /[\p{P}\p{Z}\p{C}]/gu;

/** NFKC (full-width letters and digits become ASCII), lower case, no punctuation, spaces or control characters. */
export function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(DROPPED, '');
}

/** NFKC and lower case only: what the segmenter sees, so that punctuation still splits words. */
export function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** A token with its punctuation, spaces and control characters removed ('' when nothing is left). */
export function cleanToken(token: string): string {
  return token.replace(DROPPED, '');
}

/** Overlapping character bigrams of the normalised text; a one-character text is its own term. */
export function charBigrams(text: string): string[] {
  const chars = Array.from(normalize(text));
  if (chars.length <= 1) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
  return out;
}

/** Characters and character bigrams of the normalised text (the TF-IDF anchor's 1–2-grams). */
export function charNgrams12(text: string): string[] {
  const chars = Array.from(normalize(text));
  const out = chars.slice();
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
  return out;
}
