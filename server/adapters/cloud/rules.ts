/**
 * The security rules of the cloud environment, generated from the declarations (collections.ts)
 * into deploy/ by `npm run docs:cloud-indexes` and checked by test/server/cloud-deploy-doc.test.ts.
 * Rules apply to client requests only (the functions are the management side and pass them all).
 *
 * Database: no client reads or writes any collection (仅管理端可读写); every access is a function.
 * Storage: clients read published ad images only (`ads/<name>.<jpg|png|webp>`), never the
 * functions' sealed blobs under `recsys/`, nor staged uploads; a client writes only a file it
 * creates itself in a staging folder (`uploads/<folder>/<name>.<ext>`), never under `ads/`: only
 * `merchant` `image.publish`, on the management side, puts files there after checking role, size
 * and content (server/merchant/images.ts). The rule language has no string building, so it cannot
 * tie the folder to auth.openid: the function does (the folder is a keyed hash of the openid), and
 * `resource.openid == auth.openid` keeps a client from replacing or deleting anyone else's file.
 * (CloudBase storage rules: `resource.path`, `resource.openid`, `auth.openid`; a regex literal's
 * test() compared with `== true`, as the rule language requires.)
 */
import { ALL_COLLECTIONS } from './collections';

import { AD_IMAGE_PATH, STAGED_IMAGE_PATH } from '../../engine/ads/images';

export { AD_IMAGE_PATH, STAGED_IMAGE_PATH };

/** A regex as a rule-language literal ('/' escaped; JSON then escapes each backslash once more). */
const literal = (re: RegExp): string => `/${re.source}/`;

export interface Rule {
  read: boolean | string;
  write: boolean | string;
}

/** One rule per declared collection, all closed to clients. */
export function databaseRules(): Record<string, Rule> {
  return Object.fromEntries(ALL_COLLECTIONS.map((c) => [c.name, { read: false, write: false }]));
}

export function storageRules(): Rule {
  const adImage = `${literal(AD_IMAGE_PATH)}.test(resource.path) == true`;
  const staged = `${literal(STAGED_IMAGE_PATH)}.test(resource.path) == true`;
  return {
    read: adImage,
    write: `auth != null && auth.openid != null && resource.openid == auth.openid && ${staged}`,
  };
}
