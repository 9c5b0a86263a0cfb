/** The setData meter: UTF-8 bytes of the JSON, calls in any one second, windows. */
import { payloadBytes, SetDataMeter } from '../../../miniprogram/services/set-data-meter';

describe('SetDataMeter', () => {
  it('counts UTF-8 bytes of the JSON, emoji as four', () => {
    expect(payloadBytes({ a: 'x' })).toBe(9);
    expect(payloadBytes({ a: '文' })).toBe(11);
    expect(payloadBytes({ a: '🙂' })).toBe(12);
  });

  it('reports calls, bytes, the largest call and the most calls within a second, then starts over', () => {
    const m = new SetDataMeter();
    for (let i = 0; i < 25; i++) m.record(100, 1_000 + i * 30); // 25 calls in 720 ms
    m.record(300_000, 5_000);
    expect(m.take(6_000)).toEqual({
      calls: 26,
      bytes: 2_500 + 300_000,
      maxBytes: 300_000,
      peakPerSecond: 25,
      windowMs: 5_000,
    });
    expect(m.take(7_000)).toBeNull();
    for (let i = 0; i < 5; i++) m.record(10, 10_000 + i * 400); // never more than 3 within a second
    expect(m.peek()).toMatchObject({ calls: 5, peakPerSecond: 3 });
  });
});
