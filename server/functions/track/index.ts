/** `track`: stores a batch of the Mini Program's events, exactly once each. */
import { defineFunction } from '../../runtime/function';
import { ingest } from '../../events/ingest';
import { trackInput } from '../../events/schema';
import { TRACK_TIMEOUT_SECONDS } from '../../events/writers';

export default defineFunction({
  name: 'track',
  input: trackInput,
  handle: ingest,
  cloud: { timeoutSeconds: TRACK_TIMEOUT_SECONDS },
});
