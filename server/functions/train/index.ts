/**
 * `train`: the timer-triggered learning run (every 5 minutes). In the cloud, a call without a
 * user runs only as this function's own timer trigger (cloud-main checks the event and SOURCE);
 * a call with a WeChat identity runs only for a platform admin. The local host calls it
 * without identity (its request guard keeps web pages out). Rollback is not an action here:
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
  cloud: {
    timeoutSeconds: TRAIN_TIMEOUT_SECONDS,
    timer: '0 */5 * * * * *',
    openapi: ['subscribeMessage.send'],
  },
  async handle(_req, ctx): Promise<TrainResponse> {
    if (ctx.openid && !ctx.config.platformAdmins.includes(ctx.openid))
      throw forbidden('训练任务只能由定时器或平台管理员触发');
    const { maintenance, training } = await runRound(
      ctx,
      TRAIN_TIMEOUT_SECONDS * 1000 * BUDGET_SHARE,
    );
    if (describeMaintenance(maintenance)) ctx.log.info('maintenance', { ...maintenance });
    return training;
  },
});
