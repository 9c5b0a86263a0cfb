/** share_open's optional target (where the opened share was posted): accepted values, and nothing else. */
import { eventSchema } from '../../../server/events/schema';

const base = {
  eventId: '0b8f2c1e-4a5d-4e6f-9a7b-1c2d3e4f5a6b',
  clientTime: 1_764_000_000_000,
  sessionId: 'sess-1',
  page: 'pages/detail/index',
  type: 'share_open',
  shareId: 'share-1',
};

describe('share_open event', () => {
  it('accepts a target of chat, group or timeline, and none (older clients)', () => {
    for (const target of ['chat', 'group', 'timeline'])
      expect(eventSchema.safeParse({ ...base, target }).success).toBe(true);
    expect(eventSchema.safeParse(base).success).toBe(true);
  });

  it('refuses any other target', () => {
    expect(eventSchema.safeParse({ ...base, target: 'moments' }).success).toBe(false);
    expect(eventSchema.safeParse({ ...base, target: '' }).success).toBe(false);
  });
});
