/** The stored model package: the model with its numeric statistics, and bare model blobs of before. */
import { NumericScaler } from '../../../server/engine/features/numeric';
import { FeatureVector } from '../../../server/engine/features/vector';
import { createCtrModel, DEFAULT_CTR_CONFIG } from '../../../server/engine/models/defaults';
import { ModelBlobError } from '../../../server/engine/models/blob';
import { packModel, unpackModel } from '../../../server/engine/training/model-package';

function fitted(): { bytes: Uint8Array; scaler: NumericScaler; p: number } {
  const model = createCtrModel({ ...DEFAULT_CTR_CONFIG, model: 'lr', bits: 12 });
  const x = new FeatureVector().push(3, 0).push(70, 1, 0.5);
  for (let i = 0; i < 50; i++) model.learn(x, i % 3 === 0 ? 1 : 0);
  const scaler = new NumericScaler();
  for (const v of [1, 4, 9, 30]) scaler.observe('user.browse', Math.log1p(v));
  return { bytes: packModel(model, scaler), scaler, p: model.predict(x) };
}

describe('model package', () => {
  it('round-trips the model and its statistics', () => {
    const { bytes, scaler, p } = fitted();
    const back = unpackModel(bytes);
    expect(back.scaler.encode()).toBe(scaler.encode());
    expect(back.model.predict(new FeatureVector().push(3, 0).push(70, 1, 0.5))).toBe(p);
  });

  it('loads a bare model blob (stored before the statistics) with empty statistics', () => {
    const model = createCtrModel({ ...DEFAULT_CTR_CONFIG, model: 'lr', bits: 12 });
    const back = unpackModel(model.serialize());
    expect(back.scaler.encode()).toBe('[]');
    expect(back.scaler.z('user.browse', 3)).toBe(0);
  });

  it('refuses damaged statistics or a cut package with a stable code', () => {
    const { bytes } = fitted();
    const code = (b: Uint8Array): string | undefined => {
      try {
        unpackModel(b);
        return undefined;
      } catch (e) {
        expect(e).toBeInstanceOf(ModelBlobError);
        return (e as ModelBlobError).code;
      }
    };
    const flipped = bytes.slice();
    flipped[10] ^= 0x01; // inside the statistics' JSON
    expect(code(flipped)).toBe('MODEL_CHECKSUM');
    expect(code(bytes.subarray(0, 9))).toBe('MODEL_TRUNCATED');
    expect(code(bytes.subarray(0, bytes.length - 3))).toBe('MODEL_TRUNCATED');
    const tail = bytes.slice();
    tail[tail.length - 20] ^= 0xff; // inside the model's own blob
    expect(code(tail)).toBe('MODEL_CHECKSUM');
  });
});
