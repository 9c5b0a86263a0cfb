/**
 * A stub `content` client for page tests: answers each request through a handler (a response,
 * or an Error to throw), records every request in order, and refuses any other function.
 */
import type { ContentRequest, ContentResponse, FunctionMap, FunctionName } from '../../../typings';
import { setApi } from '../../../miniprogram/services/api';
import type { ApiClient } from '../../../miniprogram/services/api';

export type ContentHandler = (req: ContentRequest) => ContentResponse | Error | Promise<ContentResponse | Error>;

export function stubContent(handler: ContentHandler): ContentRequest[] {
  const calls: ContentRequest[] = [];
  const client: ApiClient = {
    async call<N extends FunctionName>(name: N, req: FunctionMap[N]['req']): Promise<FunctionMap[N]['res']> {
      if (name !== 'content') throw new Error(`unexpected call ${name}`);
      calls.push(req as ContentRequest);
      const answer = await handler(req as ContentRequest);
      if (answer instanceof Error) throw answer;
      return answer as FunctionMap[N]['res'];
    },
  };
  setApi(client);
  return calls;
}

/** A promise with its resolver, to hold an answer back while the test looks at the loading state. */
export function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
