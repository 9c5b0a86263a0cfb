/**
 * `train`: the timer-triggered learning run (every 5 minutes). It has no user: a call that
 * carries a WeChat identity (a Mini Program client) is refused, so only the timer and the
 * local host (which calls it without identity) can start it. Rollback is not an action here:
 * it is a local CLI (`npm run train -- --rollback <version>`) until admin roles exist.
 */
import { z } from 'zod';
import type { TrainResponse } from '../../../typings';
import { forbidden } from '../../errors';
import { defineFunction } from '../../runtime/function';
import {
  BUDGET_SHARE,
  describeMaintenance,
  runRound,
  TRAIN_TIMEOUT_SECONDS,
} from '../../learning/round';

export default defineFunction({
  name: 'train',
  input: z.strictObject({}),
  anonymous: true,
  cloud: { timeoutSeconds: TRAIN_TIMEOUT_SECONDS, timer: '0 */5 * * * * *' },
  async handle(_req, ctx): Promise<TrainResponse> {
    if (ctx.openid) throw forbidden('训练任务只能由定时器触发');
    const { maintenance, training } = await runRound(
      ctx,
      TRAIN_TIMEOUT_SECONDS * 1000 * BUDGET_SHARE,
    );
    if (describeMaintenance(maintenance)) ctx.log.info('maintenance', { ...maintenance });
    return training;
  },
});
