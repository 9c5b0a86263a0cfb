/** Ids made on the device for shares and demo orders: UUID v4 from the same byte source as event ids. */
import { createRandomBytes, createUuid, wxRandomSource } from './uuid';

let uuid: (() => string) | undefined;

/** A new UUID v4 (it passes the server's id rule: letters, digits and "-"). */
export function newId(): string {
  uuid ??= createUuid(
    createRandomBytes(wxRandomSource(typeof wx === 'undefined' ? undefined : wx)),
  );
  return uuid();
}
