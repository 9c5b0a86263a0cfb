/** The content card the detail page tests open (served at position 3 of a feed). */
import type { ContentCard } from '../../../typings';

export const PICNIC_CARD: ContentCard = {
  kind: 'content',
  position: 3,
  item: {
    id: 'item-7',
    title: '春日野餐指南',
    summary: '带上篮子去公园',
    category: '美食',
    tags: ['野餐'],
    cover: '',
    publishedAt: Date.UTC(2026, 10, 27, 20),
  },
};
