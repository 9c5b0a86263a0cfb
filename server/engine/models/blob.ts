/**
 * The model blob: "CTRM" magic, format version, model kind, payload length, payload, and a
 * CRC32 of everything before it, so that a truncated or corrupted blob is refused at load.
 */
import CRC32 from 'crc-32';

export const BLOB_MAGIC = 0x4d525443; // "CTRM" read as little-endian u32
export const BLOB_VERSION = 1;
const HEADER_BYTES = 12; // magic u32, version u16, kind u8, reserved u8, payload length u32
const TRAILER_BYTES = 4;

export type ModelKind = 1 | 2 | 3; // 1 = logistic regression, 2 = factorization machine, 3 = field-aware FM

export type BlobErrorCode =
  'MODEL_TRUNCATED' | 'MODEL_CHECKSUM' | 'MODEL_FORMAT' | 'MODEL_VERSION' | 'MODEL_KIND';

/** A blob that must not be loaded; `code` is stable, the model in memory is left untouched. */
export class ModelBlobError extends Error {
  constructor(
    readonly code: BlobErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ModelBlobError';
  }
}

/** Appends little-endian numbers and arrays to a growing buffer. */
export class BlobWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;

  /** `capacity`: the expected size, so that a large model is written without regrowing (peak memory). */
  constructor(capacity = 1024) {
    this.buf = new Uint8Array(Math.max(16, capacity));
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + extra) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u32(v: number): this {
    this.ensure(4);
    this.view.setUint32(this.pos, v, true);
    this.pos += 4;
    return this;
  }

  f32(v: number): this {
    this.ensure(4);
    this.view.setFloat32(this.pos, v, true);
    this.pos += 4;
    return this;
  }

  f64(v: number): this {
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
    return this;
  }

  /** The bytes written (the buffer itself when it was sized exactly, else a copy). */
  bytes(): Uint8Array {
    return this.pos === this.buf.length ? this.buf : this.buf.slice(0, this.pos);
  }
}

/** Reads what BlobWriter wrote; running past the end is a MODEL_TRUNCATED error. */
export class BlobReader {
  private readonly view: DataView;
  private pos = 0;

  constructor(private readonly data: Uint8Array) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  private need(n: number): void {
    if (this.pos + n > this.data.byteLength)
      throw new ModelBlobError('MODEL_TRUNCATED', 'model payload ends early');
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  f32(): number {
    this.need(4);
    const v = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  f64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  get done(): boolean {
    return this.pos === this.data.byteLength;
  }
}

/** Wraps a payload into a blob of the given kind. */
export function sealBlob(kind: ModelKind, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + payload.length + TRAILER_BYTES);
  const view = new DataView(out.buffer);
  view.setUint32(0, BLOB_MAGIC, true);
  view.setUint16(4, BLOB_VERSION, true);
  view.setUint8(6, kind);
  view.setUint32(8, payload.length, true);
  out.set(payload, HEADER_BYTES);
  view.setUint32(
    HEADER_BYTES + payload.length,
    CRC32.buf(out.subarray(0, HEADER_BYTES + payload.length)) >>> 0,
    true,
  );
  return out;
}

/** Checks a blob (length, checksum, magic, version, kind) and returns a reader over its payload. */
export function openBlob(blob: Uint8Array, expected: ModelKind): BlobReader {
  if (blob.byteLength < HEADER_BYTES + TRAILER_BYTES)
    throw new ModelBlobError('MODEL_TRUNCATED', 'model blob is shorter than its header');
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const payloadLength = view.getUint32(8, true);
  if (HEADER_BYTES + payloadLength + TRAILER_BYTES !== blob.byteLength) {
    throw new ModelBlobError(
      'MODEL_TRUNCATED',
      `model blob has ${blob.byteLength} bytes, header says ${HEADER_BYTES + payloadLength + TRAILER_BYTES}`,
    );
  }
  const stored = view.getUint32(HEADER_BYTES + payloadLength, true);
  if (CRC32.buf(blob.subarray(0, HEADER_BYTES + payloadLength)) >>> 0 !== stored) {
    throw new ModelBlobError('MODEL_CHECKSUM', 'model blob checksum mismatch');
  }
  if (view.getUint32(0, true) !== BLOB_MAGIC)
    throw new ModelBlobError('MODEL_FORMAT', 'not a model blob');
  const version = view.getUint16(4, true);
  if (version !== BLOB_VERSION)
    throw new ModelBlobError('MODEL_VERSION', `model blob version ${version} is not supported`);
  const kind = view.getUint8(6);
  if (kind !== expected)
    throw new ModelBlobError('MODEL_KIND', `model blob holds kind ${kind}, expected ${expected}`);
  return new BlobReader(blob.subarray(HEADER_BYTES, HEADER_BYTES + payloadLength));
}
