/** A stub API client for page tests, installed as the app-wide client: one cloud function, every request recorded. */
import type { FunctionMap, FunctionName } from '../../../typings';
import { setApi } from '../../../miniprogram/services/api';
import type { ApiClient } from '../../../miniprogram/services/api';

type Res<N extends FunctionName> = FunctionMap[N]['res'];
export type Reply<N extends FunctionName> = Res<N> | Error | Promise<Res<N> | Error>;

/** Answers each `name` request through `answer` (a response, or an Error to throw); any other function fails the test. */
export function stubFunction<N extends FunctionName>(
  name: N,
  answer: (req: FunctionMap[N]['req']) => Reply<N>,
): FunctionMap[N]['req'][] {
  const calls: FunctionMap[N]['req'][] = [];
  const client: ApiClient = {
    async call<M extends FunctionName>(
      called: M,
      req: FunctionMap[M]['req'],
    ): Promise<FunctionMap[M]['res']> {
      if ((called as FunctionName) !== name) throw new Error(`unexpected call ${called}`);
      calls.push(req as FunctionMap[N]['req']);
      const a = await answer(req as FunctionMap[N]['req']);
      if (a instanceof Error) throw a;
      return a as FunctionMap[M]['res'];
    },
  };
  setApi(client);
  return calls;
}

/** Answers each request with the next scripted answer, in order; running out fails the test. */
export function inOrder<T>(answers: T[]): (req: unknown) => T {
  return (req) => {
    const next = answers.shift();
    if (next === undefined) throw new Error(`no scripted answer left for ${JSON.stringify(req)}`);
    return next;
  };
}
