/** Which HOST values the local host accepts without ALLOW_REMOTE. */
import { isLoopback } from '../../../server/host/loopback';

it.each(['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]', '::ffff:127.0.0.1'])(
  '%s is loopback',
  (h) => {
    expect(isLoopback(h)).toBe(true);
  },
);

it.each([
  '0.0.0.0',
  '::',
  '192.168.1.10',
  '10.0.0.1',
  'example.com',
  '128.0.0.1',
  '::ffff:10.0.0.1',
  '127.0.0.1.nip.io',
])('%s is not loopback', (h) => {
  expect(isLoopback(h)).toBe(false);
});
