/** Sending a batch of events through `track` as a user, for function tests: its answer, or a throw naming the refusal. */
import type { TrackResponse } from '../../typings';
import track from '../../server/functions/track';
import { toHandler, type Deps } from '../../server/runtime/function';

const trackH = toHandler(track);

export async function sendEvents(
  deps: Deps,
  openid: string,
  events: object[],
): Promise<TrackResponse> {
  const res = await trackH({ payload: { schemaVersion: 1, events }, openid }, deps);
  if (!res.ok) throw new Error(`${res.code}: ${res.message}`);
  return res.data;
}
