/**
 * `npm run check:wxml`: compiles every .wxml, .wxs and .wxss under miniprogram/ (not
 * miniprogram_npm) with WeChat's own compilers (wcc / wcsc, shipped in miniprogram-compiler),
 * offline, one file at a time so each error names its file. Exits non-zero on any failure.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ownFiles } from './mp-files';

export interface FileFailure {
  file: string;
  error: string;
}

export interface CheckReport {
  checked: number;
  failures: FileFailure[];
}

/** Checks a Mini Program root; file names in the report are relative to it. */
export function checkMiniprogram(root: string): CheckReport {
  const files = ownFiles(root, /\.(wxml|wxss|wxs)$/);
  const failures: FileFailure[] = [];
  for (const file of files) {
    const error = compileOne(root, file);
    if (error !== null) failures.push({ file, error });
  }
  return { checked: files.length, failures };
}

/** Returns null when the file compiles, else the compiler's message. */
function compileOne(root: string, file: string): string | null {
  if (file.endsWith('.wxss')) {
    // wcsc resolves @import only among the files it is given: pass the file's import closure.
    const list = [file, ...importClosure(root, file).filter((f) => f !== file)];
    const isComponent = fs.existsSync(path.join(root, file.replace(/\.wxss$/, '.json')));
    return run(compiler('wcsc'), ['-db', '-pc', isComponent ? '1' : '0', ...list], root);
  }
  const wxs = file.endsWith('.wxml') ? referencedWxs(root, file) : [];
  return run(
    compiler('wcc'),
    ['-d', '-cc', componentArgs(root, file), file, ...wxs, '-gn', '$gwx'],
    root,
  );
}

/** wcc's custom-component argument: "<count> <page.wxml> <n> <tag>..." from the file's usingComponents. */
function componentArgs(root: string, file: string): string {
  const json = path.join(root, file.replace(/\.wxml$/, '.json'));
  if (!file.endsWith('.wxml') || !fs.existsSync(json)) return '0';
  let tags: string[] = [];
  try {
    const parsed = JSON.parse(fs.readFileSync(json, 'utf8')) as {
      usingComponents?: Record<string, string>;
    };
    tags = Object.keys(parsed.usingComponents ?? {});
  } catch {
    return '0'; // a broken .json is not this check's business; DevTools and the JSON lint report it
  }
  return tags.length ? ['1', file, String(tags.length), ...tags].join(' ') : '0';
}

/** .wxs modules a template loads with <wxs src>: wcc must be given them or it reports "not found". */
function referencedWxs(root: string, file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const found = new Set<string>();
  for (const m of text.matchAll(/<wxs\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/g)) {
    const rel = resolveRef(file, m[1]);
    if (fs.existsSync(path.join(root, rel))) found.add(rel);
  }
  return [...found];
}

function importClosure(root: string, file: string, seen = new Set<string>()): string[] {
  if (seen.has(file) || !fs.existsSync(path.join(root, file))) return [...seen];
  seen.add(file);
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  for (const m of text.matchAll(/@import\s+["']([^"']+)["']/g))
    importClosure(root, resolveRef(file, m[1]), seen);
  return [...seen];
}

/** A reference inside `from`: "/x" is from the Mini Program root, anything else from the file's folder. */
function resolveRef(from: string, ref: string): string {
  return ref.startsWith('/')
    ? path.posix.normalize(ref.slice(1))
    : path.posix.join(path.posix.dirname(from), ref);
}

function compiler(name: 'wcc' | 'wcsc'): string {
  const dir = path.join(path.dirname(require.resolve('miniprogram-compiler/package.json')), 'bin');
  const bin =
    process.platform === 'linux'
      ? path.join(dir, 'linux', name)
      : process.platform === 'darwin'
        ? path.join(dir, 'mac', name)
        : path.join(dir, 'windows', `${name}.exe`);
  if (process.platform !== 'win32') {
    // npm does not keep the package's execute bits; same fix miniprogram-compiler applies itself.
    try {
      fs.accessSync(bin, fs.constants.X_OK);
    } catch {
      fs.chmodSync(bin, 0o755);
    }
  }
  return bin;
}

function run(bin: string, args: string[], cwd: string): string | null {
  const res = spawnSync(bin, args, { cwd, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
  if (res.error) throw new Error(`cannot run ${path.basename(bin)}: ${res.error.message}`);
  if (res.status === 0) return null;
  const text = `${res.stderr}\n${res.stdout.length < 2000 ? res.stdout : ''}`
    .split('\n')
    .filter((l) => l.trim() && !/^error file count/.test(l))
    .join('\n');
  return text || `${path.basename(bin)} exited with ${res.status ?? res.signal}`;
}

function main(): void {
  const root = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'miniprogram'));
  const report = checkMiniprogram(root);
  for (const f of report.failures)
    console.error(`✗ ${f.file}\n  ${f.error.replace(/\n/g, '\n  ')}`);
  const ok = report.checked - report.failures.length;
  console.log(
    `check:wxml: ${report.checked} files checked (.wxml, .wxs, .wxss) in ${root}: ${ok} ok, ${report.failures.length} failed`,
  );
  if (report.failures.length) process.exit(1);
  if (report.checked === 0) {
    console.error('check:wxml: no files found — wrong root?');
    process.exit(1);
  }
}

if (require.main === module) main();
