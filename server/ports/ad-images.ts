/**
 * Ad image storage port: where clients stage an ad image and where `image.publish` puts it once
 * checked (server/merchant/images.ts). File ids are the adapter's: `cloud://<env>.<bucket>/<path>`
 * in the cloud, `local://<path>` on the local host.
 */
export interface AdImageStorage {
  /**
   * The storage path a file id names when it is a file of this environment (e.g.
   * 'uploads/<folder>/<name>.png'), or null for anything else: another environment's id, a URL.
   */
  pathOf(fileID: string): string | null;
  /** The bytes of a file of this environment, or null when there is no such file. */
  read(fileID: string): Promise<Uint8Array | null>;
  /** Deletes a file of this environment; a missing file is not an error. */
  remove(fileID: string): Promise<void>;
  /**
   * Stores a checked image under its content name ('<sha256>.<ext>') where clients may read it;
   * answers the id a creative stores. Storing the same name again rewrites the same bytes.
   */
  publish(name: string, bytes: Uint8Array): Promise<string>;
  /** Whether a creative's (well-formed) image is one this environment published. */
  isPublished(image: string): boolean;
}
