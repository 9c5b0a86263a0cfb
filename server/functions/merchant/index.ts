/**
 * `merchant`: the merchant side of the Mini Program — merchants and invitations (platform
 * admin), joining with a code, campaigns with their lifecycle and audit log, reports, experiments,
 * cloud ad images (staged by the client, checked and published here), and the platform admin's Mini Program performance report (perf.report). Identity and role
 * come only from the WeChat context; each use case authorises its caller.
 */
import type { MerchantResponse } from '../../../typings';
import { MERCHANT_PARAMETERS } from '../../engine/experiments/definition';
import { requireMember, resolveActor } from '../../merchant/access';
import {
  campaignAudit,
  createCampaign,
  getCampaign,
  listCampaigns,
  transitionCampaign,
  updateCampaign,
  type Transition,
} from '../../merchant/campaigns';
import { campaignScene } from '../../merchant/campaign-scene';
import { experimentResults } from '../../merchant/experiment-results';
import {
  createExperiment,
  experimentAudit,
  getExperiment,
  listExperiments,
  startExperiment,
  stopExperiment,
} from '../../merchant/experiments';
import {
  createInvitation,
  createMerchant,
  listMerchants,
  redeemInvitation,
} from '../../merchant/invitations';
import {
  listInvitations,
  listMembers,
  merchantAudit,
  removeMember,
  revokeInvitation,
} from '../../merchant/members';
import { publishImage, stageImage } from '../../merchant/images';
import { perfReport } from '../../merchant/perf-report';
import { setOffer } from '../../merchant/offers';
import { limitHeavyCall } from '../../merchant/rate-limit';
import { campaignBreakdown, campaignDailyReport } from '../../merchant/reports';
import { targetingOptions } from '../../merchant/vocabulary';
import { defineFunction } from '../../runtime/function';
import { merchantInput } from './schema';

export default defineFunction({
  name: 'merchant',
  input: merchantInput,
  cloud: { timeoutSeconds: 10 },
  async handle(req, ctx): Promise<MerchantResponse> {
    const actor = await resolveActor(ctx);
    switch (req.action) {
      case 'me': {
        const merchant = actor.membership
          ? await ctx.stores.ads.getMerchant(actor.membership.merchantId)
          : null;
        return { action: req.action, admin: actor.admin, membership: actor.membership, merchant };
      }
      case 'merchant.create':
        return { action: req.action, merchant: await createMerchant(ctx, actor, req.name) };
      case 'merchant.list':
        return { action: req.action, merchants: await listMerchants(ctx, actor) };
      case 'invite.create':
        return {
          action: req.action,
          ...(await createInvitation(ctx, actor, req.merchantId, req.role)),
        };
      case 'invite.redeem':
        return { action: req.action, ...(await redeemInvitation(ctx, actor, req.code)) };
      case 'member.list':
        return { action: req.action, members: await listMembers(ctx, actor, req.merchantId) };
      case 'invite.list':
        return {
          action: req.action,
          invitations: await listInvitations(ctx, actor, req.merchantId),
        };
      case 'merchant.audit':
        return { action: req.action, entries: await merchantAudit(ctx, actor, req.merchantId) };
      case 'member.remove':
        await removeMember(ctx, actor, req.merchantId, req.memberId);
        return { action: req.action };
      case 'invite.revoke':
        await revokeInvitation(ctx, actor, req.merchantId, req.inviteId);
        return { action: req.action };
      case 'image.stage':
        return { action: req.action, ...stageImage(ctx, actor, req.ext) };
      case 'image.publish':
        return { action: req.action, published: await publishImage(ctx, actor, req.fileID) };
      case 'campaign.list':
        return { action: req.action, campaigns: await listCampaigns(ctx, actor) };
      case 'targeting.options':
        requireMember(actor);
        return {
          action: req.action,
          options: await targetingOptions(ctx.stores, ctx.now()),
          scene: campaignScene(ctx.config),
        };
      case 'perf.report':
        return {
          action: req.action,
          report: await perfReport(ctx.stores, actor, ctx.config.trackSampling),
        };
      case 'campaign.get':
        return { action: req.action, campaign: await getCampaign(ctx, actor, req.campaignId) };
      case 'campaign.create':
        return { action: req.action, campaign: await createCampaign(ctx, actor, req.campaign) };
      case 'campaign.update':
        return {
          action: req.action,
          campaign: await updateCampaign(
            ctx,
            actor,
            req.campaignId,
            req.patch,
            req.expectedRevision,
          ),
        };
      case 'campaign.start':
      case 'campaign.pause':
      case 'campaign.resume':
      case 'campaign.end':
        return {
          action: req.action,
          campaign: await transitionCampaign(
            ctx,
            actor,
            req.campaignId,
            req.action.slice('campaign.'.length) as Transition,
            req.expectedRevision,
          ),
        };
      case 'offer.set':
      case 'offer.clear':
        return {
          action: req.action,
          campaign: await setOffer(
            ctx,
            actor,
            req.campaignId,
            req.action === 'offer.set' ? req.offer : null,
            req.expectedRevision,
          ),
        };
      case 'campaign.audit':
        return { action: req.action, entries: await campaignAudit(ctx, actor, req.campaignId) };
      case 'report.daily':
        return {
          action: req.action,
          rows: await campaignDailyReport(ctx, actor, req.campaignId, req.from, req.to),
        };
      case 'report.breakdown':
        return {
          action: req.action,
          breakdown: await campaignBreakdown(ctx, actor, req.campaignId, req.from, req.to, req.by),
        };
      case 'experiment.list':
        return {
          action: req.action,
          experiments: await listExperiments(ctx, actor),
          merchantParameters: [...MERCHANT_PARAMETERS],
        };
      case 'experiment.create':
        return {
          action: req.action,
          experiment: await createExperiment(ctx, actor, req.experiment),
        };
      case 'experiment.get':
        return {
          action: req.action,
          experiment: await getExperiment(ctx, actor, req.experimentId),
        };
      case 'experiment.start':
        return {
          action: req.action,
          experiment: await startExperiment(ctx, actor, req.experimentId),
        };
      case 'experiment.stop':
        return {
          action: req.action,
          experiment: await stopExperiment(ctx, actor, req.experimentId),
        };
      case 'experiment.audit':
        return { action: req.action, entries: await experimentAudit(ctx, actor, req.experimentId) };
      case 'experiment.results': {
        const experiment = await getExperiment(ctx, actor, req.experimentId);
        await limitHeavyCall(ctx, actor);
        return {
          action: req.action,
          experiment,
          results: await experimentResults(ctx, experiment),
        };
      }
    }
  },
});
