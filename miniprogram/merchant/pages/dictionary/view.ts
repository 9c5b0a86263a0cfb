/** Pure helpers of 词典与同义词: the textareas' text to the request's lists and back. */

/** One word per line, trimmed, blank lines dropped. */
export function wordsOf(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** One synonym group per line, its words separated by spaces, commas or 、. */
export function groupsOf(text: string): string[][] {
  return text
    .split('\n')
    .map((l) =>
      l
        .split(/[\s,，、]+/)
        .map((w) => w.trim())
        .filter(Boolean),
    )
    .filter((g) => g.length > 0);
}

export const wordsText = (words: readonly string[]): string => words.join('\n');
export const groupsText = (groups: readonly (readonly string[])[]): string =>
  groups.map((g) => g.join(' ')).join('\n');
