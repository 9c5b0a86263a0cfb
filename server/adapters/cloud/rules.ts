/**
 * The security rules of the cloud environment, generated from the declarations (collections.ts)
 * into deploy/ by `npm run docs:cloud-indexes` and checked by test/server/cloud-deploy-doc.test.ts.
 * Rules apply to client requests only (the functions are the management side and pass them all).
 *
 * Database: no client reads or writes any collection (仅管理端可读写); every access is a function.
 * Storage: clients read ad images only (`ads/<id>.<jpg|png|webp>`), never the functions' sealed
 * blobs under `recsys/` or anything else; a client writes only an ad image it creates itself
 * (CloudBase storage rules: `resource.path`, `resource.openid`, `auth.openid`; a regex literal's
 * test() compared with `== true`, as the rule language requires).
 */
import { ALL_COLLECTIONS } from './collections';

import { AD_IMAGE_PATH } from '../../engine/ads/images';

export { AD_IMAGE_PATH };

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
  return {
    read: adImage,
    write: `auth != null && auth.openid != null && resource.openid == auth.openid && ${adImage}`,
  };
}
