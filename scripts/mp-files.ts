/** Walks the Mini Program's own files (not miniprogram_npm or node_modules), for the checks in scripts/. */
import fs from 'node:fs';
import path from 'node:path';

const SKIP_DIRS = new Set(['miniprogram_npm', 'node_modules']);

/** Paths relative to `root`, '/'-separated and sorted, of the files whose name matches `name`. */
export function ownFiles(root: string, name: RegExp, dir = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) out.push(...ownFiles(root, name, rel));
    } else if (name.test(entry.name)) {
      out.push(rel);
    }
  }
  return out.sort();
}
