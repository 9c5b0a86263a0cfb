/**
 * A page answered from its logged slate: the same cards at the same positions (an item
 * unpublished or a campaign stopped since is left out, its position stays taken), nothing ranked,
 * auctioned or logged again. Another user's slate under this id is a forged cursor.
 */
import type { UserProfile } from '../../engine/profiles/profile';
import type { TieEngagement } from '../../engine/social/proof';
import { suitable } from '../../engine/suitability';
import type { ServedSlate } from '../../ports';
import type { FunctionContext } from '../../runtime/function';
import { loggedAdCards } from '../ads';
import { badCursor } from '../session';
import type { CatalogSnapshot } from '../warm-state';
import { contentCard, withProof } from './cards';
import { creativesOf, type FeedPage, type PageRequest } from './request';

export async function replayPage(
  ctx: FunctionContext,
  snap: CatalogSnapshot,
  req: PageRequest,
  slate: ServedSlate,
  profile: UserProfile | null,
  ties: readonly TieEngagement[],
): Promise<FeedPage> {
  if (slate.openid !== ctx.openid) throw badCursor();
  const logged = [...slate.cards].sort((a, b) => a.position - b.position);
  const content = logged.flatMap((c) => {
    const it = c.itemId !== undefined ? snap.items.get(c.itemId) : undefined;
    // Suitability holds on a replay too (an assessment withdrawn since the page was logged).
    // The card's pctr is its logged score (where the ranking scored it, the page's first position).
    return it && suitable(it.riskLevel, req.riskTolerance)
      ? [contentCard(it, c.position, req.location, c.score)]
      : [];
  });
  const ads = await loggedAdCards(
    ctx,
    {
      personalised: req.personalised,
      scene: req.scene,
      profile,
      shared: req.shared,
      riskTolerance: req.riskTolerance,
      adScene: req.adScene ?? null,
      categoryOf: (id) => snap.items.get(id)?.category,
      content,
      now: ctx.now(),
      creatives: creativesOf(req),
    },
    logged.filter((c) => c.adId !== undefined),
  );
  return {
    slateId: slate.slateId,
    cards: withProof(
      [...content, ...ads.cards].sort((a, b) => a.position - b.position),
      ties,
    ),
    exhausted: logged.filter((c) => c.itemId !== undefined).length < req.limit,
    modelVersion: slate.modelVersion,
    before: { items: [], ads: [] },
    span: logged.length,
  };
}
