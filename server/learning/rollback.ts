/**
 * Rollback: serve an earlier version again and continue training from it. Checked first (the
 * blob must load, checksum and all), done under the training lease so no run interleaves.
 * Not a cloud-function action: only the local CLI calls it until admin roles exist.
 */
import type { Stores } from '../ports';
import type { Logger } from '../runtime/function';
import { loadVersion } from './model-versions';
import { TRAIN_JOB } from './trainer-state';

export class RollbackError extends Error {
  override name = 'RollbackError';
}

export interface RollbackResult {
  from: string | null;
  to: string;
}

export async function rollback(
  stores: Stores,
  version: string,
  now: number,
  log: Logger,
  reason = 'manual rollback',
): Promise<RollbackResult> {
  const holder = `rollback-${now}`;
  if (!(await stores.leases.acquire(TRAIN_JOB, holder, now, 60_000)))
    throw new RollbackError('a training run is in progress; try again in a minute');
  try {
    await loadVersion(stores, version); // refuses an unknown version or a damaged blob
    const pointer = await stores.models.serving();
    const from = pointer?.version ?? null;
    if (from === version) throw new RollbackError(`${version} is serving already`);
    const why = `${reason}: from ${from ?? 'none'} to ${version}`;
    if (!(await stores.models.swapServing(from, { version, since: now, reason: why })))
      throw new RollbackError('the serving version moved meanwhile; try again');
    await stores.models.setStatus(version, 'promoted', why);
    if (from) await stores.models.setStatus(from, 'candidate', `rolled back (${why})`);
    // Training continues from the restored version, not from the one rolled away from.
    const checkpoint = await stores.checkpoints.get(TRAIN_JOB);
    if (
      checkpoint &&
      !(await stores.checkpoints.save(
        { ...checkpoint, rev: checkpoint.rev + 1, head: version, updatedAt: now },
        checkpoint.rev,
      ))
    ) {
      log.error('rollback: checkpoint moved; the trainer head was not reset', { version });
    }
    log.info('model rolled back', { from, to: version });
    return { from, to: version };
  } finally {
    await stores.leases.release(TRAIN_JOB, holder);
  }
}
