/** Feed cards as `recommend` serves them, for the feed page and feed-card tests: a 美食 content card named by its id, the 川味小馆 ad. */
import type { AdCard, ContentCard } from '../../../typings';

export function contentCard(
  id: string,
  position: number,
  item: Partial<ContentCard['item']> = {},
): ContentCard {
  return {
    kind: 'content',
    position,
    item: {
      id,
      title: `标题 ${id}`,
      summary: `摘要 ${id}`,
      category: '美食',
      tags: [],
      cover: '',
      publishedAt: 0,
      ...item,
    },
  };
}

/** An ad card of campaign camp-1, targeted by interest (its reason 你关注了「美食」). */
export function adCard(position: number): AdCard {
  return {
    kind: 'ad',
    position,
    sponsored: true,
    adId: 'camp-1',
    advertiser: '川味小馆',
    merchantId: 'm-1',
    creative: {
      title: '新店开业',
      description: '全场八折',
      image: '',
      landing: { kind: 'page', path: 'pages/feed/index' },
    },
    reason: { code: 'interest', text: '你关注了「美食」' },
  };
}
