/** The local host's logger: one human-readable line per record on stdout / stderr. */
import type { Logger } from '../runtime/function';

function line(level: string, msg: string, fields?: Record<string, unknown>): string {
  const extra = fields ? Object.entries(fields).filter(([, v]) => v !== undefined) : [];
  const tail = extra
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${new Date().toISOString()} ${level} ${msg}${tail ? ` ${tail}` : ''}`;
}

export function consoleLogger(opts: { quiet?: boolean } = {}): Logger {
  return {
    info: (msg, fields) => {
      if (!opts.quiet) process.stdout.write(`${line('info', msg, fields)}\n`);
    },
    error: (msg, fields) => process.stderr.write(`${line('error', msg, fields)}\n`),
  };
}
