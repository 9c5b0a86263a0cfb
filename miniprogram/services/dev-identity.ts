/** A stable per-device identity for local mode, kept in wx storage so a developer stays one user across launches. */

export type StorageLike = Pick<WechatMiniprogram.Wx, 'getStorageSync' | 'setStorageSync'>;

const KEY = 'rs:dev-openid';
/** Must satisfy the host's openid check: [A-Za-z0-9_-]{1,64}. */
const VALID = /^[A-Za-z0-9_-]{1,64}$/;

export function devOpenid(storage: StorageLike, random: () => number = Math.random): string {
  const kept: unknown = storage.getStorageSync(KEY);
  if (typeof kept === 'string' && VALID.test(kept)) return kept;
  let id = 'dev_';
  while (id.length < 20) id += Math.floor(random() * 36).toString(36);
  storage.setStorageSync(KEY, id);
  return id;
}
