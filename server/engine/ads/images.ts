/**
 * Where an ad's image may come from. An image is loaded by every client the ad is shown to, so
 * an address the merchant controls (any https URL) would tell the merchant who saw the ad, when
 * and from where: only images stored by this system are accepted — an upload in the cloud
 * environment's storage under `ads/`, or the local host's uploads.
 */

/** The storage path of an uploaded ad image (what the Mini Program's uploader writes; the storage rules allow reading only these). */
export const AD_IMAGE_PATH = /^ads\/[A-Za-z0-9_-]{1,64}\.(jpg|png|webp)$/;

/** A creative's `image`: a cloud file id under ads/, a local-host upload, or none. */
export const AD_IMAGE = new RegExp(
  `^$|^cloud://[A-Za-z0-9._-]+/${AD_IMAGE_PATH.source.slice(1, -1)}$|^local://uploads/[0-9a-f]{64}\\.(jpg|png|webp)$`,
);
