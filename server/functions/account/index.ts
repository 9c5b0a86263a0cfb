/**
 * `account`: a user's rights over their own data (PIPL): consent, refusing personalisation,
 * seeing their profile, sharing (and withdrawing) gender / age band / city for ad targeting,
 * the risk questionnaire (金融理财: answers, level, withdrawal), subscription messages (订阅消息: the
 * topics and the sends accepted), a copy (paged export) and erasure. Identity comes only from the WeChat
 * context, so a user can reach nothing but their own records. While an erasure runs, every
 * action but the erasure ones answers CONFLICT with its progress, and erasure calls continue it.
 */
import type { AccountResponse } from '../../../typings';
import { AppError } from '../../errors';
import { consentState, recordConsent, setPersonalization } from '../../privacy/consent';
import { clearDemographics, demographicsOf, shareDemographics } from '../../privacy/demographics';
import { advanceErasure, erasureStatus, startErasure } from '../../privacy/erasure';
import { exportPage } from '../../privacy/export';
import { profileView } from '../../privacy/profile-view';
import { answerQuestionnaire, clearRisk, questionnaire, riskOf } from '../../privacy/risk';
import { chooseInterests, chosenInterestsOf } from '../../privacy/interests';
import { subjectOf } from '../../privacy/subject';
import { recordChoices, subscribeState } from '../../content/subscribe-messages';
import { defineFunction } from '../../runtime/function';
import { accountInput } from './schema';

export const ACCOUNT_TIMEOUT_SECONDS = 20;
/** Real time an erasure call works before answering with its progress (the rest continues on the next call or the timer). */
const ERASE_BUDGET_MS = 8_000;

export default defineFunction({
  name: 'account',
  input: accountInput,
  cloud: { timeoutSeconds: ACCOUNT_TIMEOUT_SECONDS },
  async handle(req, ctx): Promise<AccountResponse> {
    const { stores, openid } = ctx;
    const now = ctx.now();
    const erasure = await erasureStatus(stores, openid, ctx.config);
    if (req.action === 'erase.start')
      return {
        action: req.action,
        erasure: await startErasure(stores, openid, now, ctx.config, {
          budgetMs: ERASE_BUDGET_MS,
          log: ctx.log,
        }),
      };
    if (req.action === 'erase.status') {
      const progress =
        erasure?.status === 'running'
          ? await advanceErasure(stores, subjectOf(openid, ctx.config), now, {
              budgetMs: ERASE_BUDGET_MS,
              log: ctx.log,
            })
          : erasure;
      return { action: req.action, erasure: progress };
    }
    if (erasure?.status === 'running') {
      throw new AppError(
        'CONFLICT',
        `正在删除你的数据（${erasure.stepsDone}/${erasure.stepsTotal}），完成后再试`,
      );
    }
    switch (req.action) {
      case 'consent.set': {
        const consent = await recordConsent(stores, openid, req.noticeVersion, req.granted, now);
        // Withdrawal erases unless the user chose to keep their history (PIPL art. 47).
        if (req.granted || req.keepHistory === true) return { action: req.action, consent };
        const erasure = await startErasure(stores, openid, now, ctx.config, {
          budgetMs: ERASE_BUDGET_MS,
          log: ctx.log,
        });
        return { action: req.action, consent, erasure };
      }
      case 'consent.get':
        return { action: req.action, consent: await consentState(stores, openid) };
      case 'personalization.set':
        return {
          action: req.action,
          consent: await setPersonalization(stores, openid, req.enabled, now),
        };
      case 'profile.get':
        return { action: req.action, profile: await profileView(stores, openid, now) };
      case 'demographics.set': {
        const { action, ...shared } = req;
        return { action, demographics: await shareDemographics(stores, openid, shared, now) };
      }
      case 'demographics.clear':
        return { action: req.action, demographics: await clearDemographics(stores, openid, now) };
      case 'demographics.get':
        return { action: req.action, demographics: await demographicsOf(stores, openid) };
      case 'export.page':
        return { action: req.action, page: await exportPage(stores, openid, req.cursor) };
      case 'risk.questionnaire':
        return { action: req.action, questionnaire: questionnaire() };
      case 'risk.assess':
        return {
          action: req.action,
          assessment: await answerQuestionnaire(stores, openid, req.version, req.answers, now),
        };
      case 'risk.get':
        return { action: req.action, assessment: await riskOf(stores, openid, now) };
      case 'subscribe.get':
        return {
          action: req.action,
          subscriptions: await subscribeState(stores, ctx.config, openid),
        };
      case 'subscribe.record':
        return {
          action: req.action,
          subscriptions: await recordChoices(stores, ctx.config, openid, req.choices, now),
        };
      case 'risk.clear':
        return { action: req.action, assessment: await clearRisk(stores, openid, now) };
      case 'interests.set':
        return {
          action: req.action,
          interests: await chooseInterests(stores, openid, req.categories, now),
        };
      case 'interests.get':
        return { action: req.action, interests: await chosenInterestsOf(stores, openid) };
    }
  },
});
