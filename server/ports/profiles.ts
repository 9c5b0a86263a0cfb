/** User profile port (用户画像): per-user decayed interest weights and behaviour statistics. */
import type { UserProfile } from '../engine/profiles/profile';

export type { UserProfile } from '../engine/profiles/profile';

export interface UserProfiles {
  /** Profiles by openid; users without one are left out. */
  get(openids: string[]): Promise<UserProfile[]>;
  /** Inserts or replaces each profile by openid. */
  put(profiles: UserProfile[]): Promise<void>;
}
