/**
 * The stored model versions, the one owner of where a version's blob lives and how it is read and
 * written (the codecs are the engine's: server/engine/models/blob.ts, and the package that keeps
 * the numeric statistics with the model, server/engine/training/model-package.ts): loading versions from
 * the registry and blob store for serving and training, and rewriting one in place (an erasure). A blob that fails its checksum or
 * its seal (cloud), or is missing, is refused with a stable code; the serving cache then keeps the model it had.
 * Also where the payment step's purchase-propensity model is stored (one key, retrained in place).
 */
import type { NumericScaler } from '../engine/features/numeric';
import { ModelBlobError } from '../engine/models/blob';
import type { Learner } from '../engine/models/learner';
import type { PropensityJson } from '../engine/payments/propensity-model';
import { packModel, unpackModel } from '../engine/training/model-package';
import type { ModelPackage } from '../engine/training/model-package';
import type { ModelVersion, Stores } from '../ports';
import { BlobIntegrityError } from '../ports/blobs';
import type { Logger } from '../runtime/function';

export interface LoadedModel {
  meta: ModelVersion;
  model: Learner;
  /** The numeric statistics the model was trained with (serving scales with these). */
  scaler: NumericScaler;
}

/** Why a version could not be loaded. */
export class ModelLoadError extends Error {
  constructor(
    readonly code:
      'MODEL_UNKNOWN' | 'MODEL_MISSING' | ModelBlobError['code'] | BlobIntegrityError['code'],
    readonly version: string,
    message: string,
  ) {
    super(message);
    this.name = 'ModelLoadError';
  }
}

/** Where a version's weights are stored. */
export const modelBlobKey = (version: string): string => `models/ctr/${version}.bin`;

export async function writeModelBlob(
  blobs: Stores['blobs'],
  key: string,
  model: Learner,
  scaler: NumericScaler,
): Promise<void> {
  await blobs.put(key, packModel(model, scaler));
}

/**
 * Damage: a blob that fails its checksum or seal, or is cut short. Not damage, and thrown: another
 * key (a misconfigured function), or a model kind this code does not know (newer code wrote it).
 */
function isDamage(err: unknown): boolean {
  if (err instanceof ModelBlobError)
    return (
      err.code === 'MODEL_TRUNCATED' || err.code === 'MODEL_CHECKSUM' || err.code === 'MODEL_FORMAT'
    );
  return err instanceof BlobIntegrityError && err.code === 'BLOB_TAMPERED';
}

/** The model (and its statistics) stored at `key`, null when gone, or 'damaged' when it can never be loaded again. */
export async function readModelBlob(
  blobs: Stores['blobs'],
  key: string,
): Promise<ModelPackage | null | 'damaged'> {
  try {
    const blob = await blobs.get(key);
    return blob ? unpackModel(blob) : null;
  } catch (err) {
    if (isDamage(err)) return 'damaged';
    throw err;
  }
}

export async function loadVersion(
  stores: Pick<Stores, 'models' | 'blobs'>,
  version: string,
): Promise<LoadedModel> {
  const meta = await stores.models.get(version);
  if (!meta)
    throw new ModelLoadError(
      'MODEL_UNKNOWN',
      version,
      `model version ${version} is not in the registry`,
    );
  let blob: Uint8Array | null;
  try {
    blob = await stores.blobs.get(meta.blobKey);
  } catch (err) {
    // The cloud adapter's seal failed: the stored file was changed, or another key sealed it.
    if (err instanceof BlobIntegrityError)
      throw new ModelLoadError(err.code, version, `model ${version} refused: ${err.message}`);
    throw err;
  }
  if (!blob)
    throw new ModelLoadError(
      'MODEL_MISSING',
      version,
      `model blob ${meta.blobKey} of ${version} is missing`,
    );
  try {
    return { meta, ...unpackModel(blob) };
  } catch (err) {
    if (err instanceof ModelBlobError)
      throw new ModelLoadError(err.code, version, `model ${version} refused: ${err.message}`);
    throw err;
  }
}

/** Loads a version, or logs why not and returns null (callers fall back). */
export async function tryLoadVersion(
  stores: Pick<Stores, 'models' | 'blobs'>,
  version: string,
  log: Logger,
): Promise<LoadedModel | null> {
  try {
    return await loadVersion(stores, version);
  } catch (err) {
    if (!(err instanceof ModelLoadError)) throw err;
    log.error('model version not loadable', { version, code: err.code, error: err.message });
    return null;
  }
}

/** How often a warm instance checks the serving pointer (an erasure waits this long after its scrub). */
export const MODEL_CHECK_MS = 10_000;

/**
 * The serving model of a warm instance: re-reads the serving pointer at most every `ttlMs`,
 * loads a new version when it moves (or the same version again when its weights were rewritten:
 * ServingPointer.weightsRev), and keeps the previous model if the new one is refused.
 */
export class ServingModelCache {
  private loaded: LoadedModel | null = null;
  /** The pointer state `loaded` was read at: its version and weights revision (an erasure's scrub bumps the latter). */
  private loadedKey: string | null = null;
  private checkedAt = -Infinity;
  /** A version refused once is not retried until the pointer moves again. */
  private refused: string | null = null;

  constructor(private readonly ttlMs = MODEL_CHECK_MS) {}

  async get(
    stores: Pick<Stores, 'models' | 'blobs'>,
    now: number,
    log: Logger,
  ): Promise<LoadedModel | null> {
    if (now - this.checkedAt < this.ttlMs) return this.loaded;
    this.checkedAt = now;
    const pointer = await stores.models.serving();
    const key = pointer ? `${pointer.version}#${pointer.weightsRev ?? 0}` : null;
    if (!pointer || key === this.loadedKey || key === this.refused) return this.loaded;
    const next = await tryLoadVersion(stores, pointer.version, log);
    if (next) {
      this.loaded = next;
      this.loadedKey = key;
      this.refused = null;
    } else {
      this.refused = key;
    }
    return this.loaded;
  }
}

/**
 * Where the purchase-propensity model lives (train's payment step, propensity-step.ts): one key,
 * rewritten by each daily retrain. Not a version in the registry: that is the click model's, with
 * its serving pointer, promotion gate and rollback, none of which this model has.
 */
export const PROPENSITY_MODEL_KEY = 'payments/propensity.json';

/** The stored purchase-propensity model with what it was trained on. */
export interface StoredPropensityModel {
  trainedAt: number;
  horizonDays: number;
  baseRate: number;
  users: number;
  positives: number;
  /** Profiled users when it was trained: the population a likely-buyers share is taken of. */
  population: number;
  family: string;
  model: PropensityJson;
}

export async function writePropensityModel(
  blobs: Stores['blobs'],
  model: StoredPropensityModel,
): Promise<void> {
  await blobs.put(PROPENSITY_MODEL_KEY, new TextEncoder().encode(JSON.stringify(model)));
}

/** The stored purchase-propensity model, or null when there is none or it is unreadable (then trained again). */
export async function readPropensityModel(
  blobs: Stores['blobs'],
): Promise<StoredPropensityModel | null> {
  const bytes = await blobs.get(PROPENSITY_MODEL_KEY);
  if (!bytes) return null;
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as StoredPropensityModel;
  } catch {
    return null;
  }
}
