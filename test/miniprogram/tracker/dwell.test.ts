/** Dwell timing: visible spans from show to hide or unload. */
import { createDwellTimer } from '../../../miniprogram/services/dwell';

function setup() {
  let t = 1_000_000;
  const emitted: number[] = [];
  const timer = createDwellTimer(
    (ms) => emitted.push(ms),
    () => t,
  );
  return { timer, emitted, wait: (ms: number) => (t += ms) };
}

test('show → hide emits the visible time', () => {
  const { timer, emitted, wait } = setup();
  timer.start();
  wait(4200);
  timer.stop();
  expect(emitted).toEqual([4200]);
});

test('time while hidden is not counted: each visible span is its own event', () => {
  const { timer, emitted, wait } = setup();
  timer.start();
  wait(1000);
  timer.stop(); // onHide: app to the background
  wait(60_000);
  timer.start(); // onShow
  wait(2500);
  timer.stop(); // onUnload
  expect(emitted).toEqual([1000, 2500]);
});

test('unload after hide emits nothing more; a repeated show keeps the first start', () => {
  const { timer, emitted, wait } = setup();
  timer.stop();
  timer.start();
  wait(300);
  timer.start();
  wait(700);
  timer.stop();
  timer.stop();
  expect(emitted).toEqual([1000]);
});

test('a clock set backwards emits nothing rather than a negative dwell', () => {
  const { timer, emitted, wait } = setup();
  timer.start();
  wait(-5000);
  timer.stop();
  expect(emitted).toEqual([]);
});
