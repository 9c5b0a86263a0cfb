/**
 * A stored click model with the numeric statistics it was trained with: "CTRP" magic, the
 * statistics (NumericScaler's JSON, length-prefixed, CRC32), then the model's own blob. Serving
 * scales standardised fields with these, the same μ and σ as training. A bare model blob (written
 * before standardised fields) still loads, with empty statistics.
 */
import CRC32 from 'crc-32';
import { NumericScaler } from '../features/numeric';
import { ModelBlobError } from '../models/blob';
import { loadAnyCtrModel } from '../models/defaults';
import type { Learner } from '../models/learner';

export const PACKAGE_MAGIC = 0x50525443; // "CTRP" read as little-endian u32

export interface ModelPackage {
  model: Learner;
  scaler: NumericScaler;
}

export function packModel(model: Learner, scaler: NumericScaler): Uint8Array {
  const stats = new TextEncoder().encode(scaler.encode());
  const blob = model.serialize();
  const out = new Uint8Array(12 + stats.length + blob.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, PACKAGE_MAGIC, true);
  view.setUint32(4, stats.length, true);
  out.set(stats, 8);
  view.setUint32(8 + stats.length, CRC32.buf(stats) >>> 0, true);
  out.set(blob, 12 + stats.length);
  return out;
}

/** Loads a package or a bare model blob; damage throws ModelBlobError (stable code) and loads nothing. */
export function unpackModel(bytes: Uint8Array): ModelPackage {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 4 || view.getUint32(0, true) !== PACKAGE_MAGIC)
    return { model: loadAnyCtrModel(bytes), scaler: new NumericScaler() };
  if (bytes.byteLength < 12)
    throw new ModelBlobError('MODEL_TRUNCATED', 'model package is shorter than its header');
  const n = view.getUint32(4, true);
  if (12 + n > bytes.byteLength)
    throw new ModelBlobError('MODEL_TRUNCATED', 'model package ends inside its statistics');
  const stats = bytes.subarray(8, 8 + n);
  if (CRC32.buf(stats) >>> 0 !== view.getUint32(8 + n, true))
    throw new ModelBlobError('MODEL_CHECKSUM', 'model package statistics checksum mismatch');
  let scaler: NumericScaler;
  try {
    scaler = NumericScaler.decode(new TextDecoder().decode(stats));
  } catch {
    throw new ModelBlobError('MODEL_FORMAT', 'model package statistics are malformed');
  }
  return { model: loadAnyCtrModel(bytes.subarray(12 + n)), scaler };
}
