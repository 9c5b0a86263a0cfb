/** The Social contract, run against every adapter. */
import type { Social, SocialFeatures } from '../../server/ports';

const features = (degree: number, community: number | null = 1): SocialFeatures => ({
  degree,
  activity: degree * 1.5,
  influence: 1.25,
  clustering: 0.5,
  community,
  sharedInterest: 0.125,
});

export function describeSocialContract(
  name: string,
  open: () => Promise<{ social: Social; cleanup: () => Promise<void> }>,
): void {
  describe(`social contract: ${name}`, () => {
    let social: Social;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ social, cleanup } = await open());
    });
    afterEach(() => cleanup());

    it('records a follow once, lists following and followers in id order with paging, and unfollows', async () => {
      expect(await social.follow({ follower: 'u1', followee: 'u3', at: 100 })).toBe(true);
      expect(await social.follow({ follower: 'u1', followee: 'u3', at: 999 })).toBe(false);
      await social.follow({ follower: 'u1', followee: 'u2', at: 200 });
      await social.follow({ follower: 'u2', followee: 'u3', at: 300 });
      expect(await social.following('u1', null, 10)).toEqual([
        { follower: 'u1', followee: 'u2', at: 200 },
        { follower: 'u1', followee: 'u3', at: 100 },
      ]);
      expect(await social.following('u1', 'u2', 10)).toEqual([
        { follower: 'u1', followee: 'u3', at: 100 },
      ]);
      expect((await social.followers('u3', null, 10)).map((f) => f.follower)).toEqual(['u1', 'u2']);
      expect((await social.followers('u3', 'u1', 1)).map((f) => f.follower)).toEqual(['u2']);
      expect(await social.unfollow('u1', 'u3')).toBe(true);
      expect(await social.unfollow('u1', 'u3')).toBe(false);
      expect((await social.followers('u3', null, 10)).map((f) => f.follower)).toEqual(['u2']);
    });

    it('counts follows since a time and pages through all follows by (follower, followee)', async () => {
      for (const [f, g, at] of [
        ['a', 'b', 10],
        ['a', 'c', 20],
        ['b', 'a', 30],
        ['c', 'a', 40],
      ] as const)
        await social.follow({ follower: f, followee: g, at });
      expect(await social.followsSince('a', 15)).toBe(1);
      expect(await social.followsSince('a', 0)).toBe(2);
      expect(await social.followsSince('z', 0)).toBe(0);
      const first = await social.allFollows(null, 3);
      expect(first.map((f) => `${f.follower}>${f.followee}`)).toEqual(['a>b', 'a>c', 'b>a']);
      const rest = await social.allFollows(first[2], 3);
      expect(rest.map((f) => `${f.follower}>${f.followee}`)).toEqual(['c>a']);
    });

    it("replaces a user's record and links whole and lists links strongest first", async () => {
      await social.putRecord({ openid: 'u1', features: features(2), updatedAt: 10 }, [
        { kind: 'tie', other: 'u2', weight: 0.5 },
        { kind: 'tie', other: 'u3', weight: 2 },
        { kind: 'tie', other: 'u4', weight: 2 },
        { kind: 'person', other: 'u9', weight: 1 },
        { kind: 'group', other: 'community:3', weight: 0.7 },
      ]);
      expect(await social.record('u1')).toEqual({
        openid: 'u1',
        features: features(2),
        updatedAt: 10,
      });
      expect(await social.links('u1', 'tie', 10)).toEqual([
        { kind: 'tie', other: 'u3', weight: 2 },
        { kind: 'tie', other: 'u4', weight: 2 },
        { kind: 'tie', other: 'u2', weight: 0.5 },
      ]);
      expect((await social.links('u1', 'tie', 1)).map((l) => l.other)).toEqual(['u3']);
      await social.putRecord({ openid: 'u1', features: features(1, null), updatedAt: 20 }, [
        { kind: 'tie', other: 'u5', weight: 1 },
      ]);
      expect((await social.record('u1'))?.features.community).toBeNull();
      expect(await social.links('u1', 'tie', 10)).toEqual([
        { kind: 'tie', other: 'u5', weight: 1 },
      ]);
      expect(await social.links('u1', 'person', 10)).toEqual([]);
      expect(await social.record('nobody')).toBeNull();
    });

    it('records a group membership once, moves it to the latest open only, and pages through all by (group, openid)', async () => {
      expect(await social.joinGroup({ openid: 'u2', group: 'g1', at: 100, shareId: 's1' })).toBe(
        true,
      );
      expect(await social.joinGroup({ openid: 'u2', group: 'g1', at: 300, shareId: 's3' })).toBe(
        false,
      );
      // An older open arriving late changes nothing.
      expect(await social.joinGroup({ openid: 'u2', group: 'g1', at: 200, shareId: null })).toBe(
        false,
      );
      await social.joinGroup({ openid: 'u1', group: 'g1', at: 50, shareId: null });
      await social.joinGroup({ openid: 'u1', group: 'g0', at: 60, shareId: 's0' });
      const first = await social.allMemberships(null, 2);
      expect(first).toEqual([
        { openid: 'u1', group: 'g0', at: 60, shareId: 's0' },
        { openid: 'u1', group: 'g1', at: 50, shareId: null },
      ]);
      expect(await social.allMemberships(first[1], 2)).toEqual([
        { openid: 'u2', group: 'g1', at: 300, shareId: 's3' },
      ]);
      expect(await social.allMemberships({ group: 'g1', openid: 'u2' }, 2)).toEqual([]);
    });

    it('hides a user from social proof and shows them again', async () => {
      await social.setHidden('u1', true);
      await social.setHidden('u1', true);
      await social.setHidden('u2', false);
      expect(await social.hidden(['u1', 'u2', 'u1'])).toEqual(['u1']);
      await social.setHidden('u1', false);
      expect(await social.hidden(['u1', 'u2'])).toEqual([]);
    });

    it('forgets a user: follows both ways, record, links, links of others naming them, switch', async () => {
      await social.follow({ follower: 'gone', followee: 'u2', at: 1 });
      await social.follow({ follower: 'u2', followee: 'gone', at: 2 });
      await social.follow({ follower: 'u2', followee: 'u3', at: 3 });
      await social.putRecord({ openid: 'gone', features: features(1), updatedAt: 1 }, [
        { kind: 'tie', other: 'u2', weight: 1 },
      ]);
      await social.putRecord({ openid: 'u2', features: features(2), updatedAt: 1 }, [
        { kind: 'tie', other: 'gone', weight: 1 },
        { kind: 'tie', other: 'u3', weight: 1 },
        { kind: 'person', other: 'gone', weight: 1 },
      ]);
      await social.setHidden('gone', true);
      await social.joinGroup({ openid: 'gone', group: 'g1', at: 1, shareId: null });
      await social.joinGroup({ openid: 'u2', group: 'g1', at: 1, shareId: null });
      await social.forget('gone');
      expect((await social.allMemberships(null, 10)).map((m) => m.openid)).toEqual(['u2']);
      expect(await social.following('gone', null, 10)).toEqual([]);
      expect(await social.followers('gone', null, 10)).toEqual([]);
      expect((await social.following('u2', null, 10)).map((f) => f.followee)).toEqual(['u3']);
      expect(await social.record('gone')).toBeNull();
      expect(await social.links('gone', 'tie', 10)).toEqual([]);
      expect((await social.links('u2', 'tie', 10)).map((l) => l.other)).toEqual(['u3']);
      expect(await social.links('u2', 'person', 10)).toEqual([]);
      expect(await social.hidden(['gone'])).toEqual([]);
    });
  });
}
