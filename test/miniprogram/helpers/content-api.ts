/**
 * A stub `content` client for page tests: answers each request through a handler (a response,
 * or an Error to throw), records every request in order, and refuses any other function.
 */
import type { ContentRequest, ContentResponse } from '../../../typings';
import { stubFunction } from './stub-api';

export type ContentHandler = (
  req: ContentRequest,
) => ContentResponse | Error | Promise<ContentResponse | Error>;

export function stubContent(handler: ContentHandler): ContentRequest[] {
  return stubFunction('content', handler);
}

/** A promise with its resolver, to hold an answer back while the test looks at the loading state. */
export function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
