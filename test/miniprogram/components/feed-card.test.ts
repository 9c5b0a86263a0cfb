/**
 * components/feed-card in miniprogram-simulate with real @vant/weapp: a content card (title,
 * summary, category, cover), an ad card marked 广告 with its advertiser, and the "…" menu, which
 * emits `menu` with the card's key and does not also open the card.
 */
import * as simulate from 'miniprogram-simulate';
import type { FeedCard } from '../../../typings';
import cardJson from '../../../miniprogram/components/feed-card/index.json';
import { toCardView } from '../../../miniprogram/pages/feed/card-view';
import type { CardView } from '../../../miniprogram/pages/feed/card-view';
import { loadWithVant } from '../helpers/vant';
import { texts } from '../helpers/texts';
import { adCard, contentCard } from '../helpers/feed-cards';

type AnyObject = WechatMiniprogram.IAnyObject;
type Rendered = simulate.RootComponent<AnyObject, AnyObject, AnyObject>;

const content: FeedCard = contentCard('item-1', 0, {
  title: '春日野餐指南',
  summary: '带上这些，周末去公园',
  cover: 'https://img.example.com/picnic.jpg',
});

const ad: FeedCard = adCard(3);

/** Events the host page received: the card's menu, and taps that reached the card's wrapper. */
let menus: Array<{ key: string }> = [];
let opened = 0;
let hostId: simulate.ComponentId<AnyObject, AnyObject, AnyObject>;

beforeAll(() => {
  const cardId = loadWithVant('components/feed-card/index', 'rs-feed-card', {
    ...cardJson.usingComponents,
  });
  hostId = simulate.load({
    template: `<view class="wrapper" bind:tap="onOpen"><rs-feed-card class="card" card="{{card}}" bind:menu="onMenu" /></view>`,
    usingComponents: { 'rs-feed-card': cardId },
    data: { card: {} },
    methods: {
      onMenu(e: { detail: { key: string } }) {
        menus.push(e.detail);
      },
      onOpen() {
        opened += 1;
      },
    },
  });
});

beforeEach(() => {
  menus = [];
  opened = 0;
});

function render(card: CardView): Rendered {
  const host = simulate.render(hostId);
  host.attach(document.createElement('parent-wrapper'));
  host.setData({ card });
  return host;
}

interface JsonNode {
  tagName?: string;
  attrs?: Array<{ name: string; value: unknown }>;
  children?: Array<JsonNode | string>;
}

/** Attributes of every native <image> in simulate's JSON tree (vant's van-image renders one). */
function images(node: unknown): Array<Record<string, unknown>> {
  if (!node || typeof node !== 'object') return [];
  const n = node as JsonNode;
  const own =
    n.tagName === 'wx-image'
      ? [Object.fromEntries((n.attrs ?? []).map((a) => [a.name, a.value]))]
      : [];
  return [...own, ...(n.children ?? []).flatMap(images)];
}

const imageSources = (node: unknown): unknown[] => images(node).map((a) => a.src);

describe('feed card component', () => {
  it('shows the cover lazily, cropped to fill a fixed box, with a placeholder until it loads', async () => {
    const c = render(toCardView(content, 'slate-1'));
    const [img] = images(c.toJSON());
    expect(img).toMatchObject({
      src: 'https://img.example.com/picnic.jpg',
      mode: 'aspectFill', // vant's fit="cover": no letterboxing, no stretching
      lazyLoad: true,
    });
    const html = () => (c.dom as HTMLElement).innerHTML;
    expect(html()).toContain('van-image__loading'); // vant's photo placeholder in the box
    // The box has its size before the image arrives (no layout shift): set on vant's root.
    expect(html()).toMatch(/width:\s*216(rpx|px);\s*height:\s*162(rpx|px)/); // simulate writes rpx as px
    const image = c
      .querySelector('.card')
      ?.querySelector('#rs-feed-card-cover')
      ?.querySelector('.van-image__img');
    expect(image).toBeTruthy();
    image?.dispatchEvent('load');
    await simulate.sleep(0);
    expect(html()).not.toContain('van-image__loading');
  });

  it('shows a content card: title, summary, its category tag and the cover through van-image', () => {
    const c = render(toCardView(content, 'slate-1'));
    expect(texts(c, 'rs-feed-card', 'rs-feed-card__title')).toEqual(['春日野餐指南']);
    expect(texts(c, 'rs-feed-card', 'rs-feed-card__summary')).toEqual(['带上这些，周末去公园']);
    expect(texts(c, 'van-tag', 'van-tag')).toEqual(['美食']);
    expect(imageSources(c.toJSON())).toEqual(['https://img.example.com/picnic.jpg']);
  });

  it('shows social proof beside the category ("3 位好友赞过"), only when the server sent a count of 3 or more', () => {
    const c = render(toCardView({ ...content, socialProof: 3 } as FeedCard, 'slate-1'));
    expect(texts(c, 'rs-feed-card', 'rs-feed-card__proof')).toEqual(['3 位好友赞过']);
    expect(texts(c, 'van-tag', 'van-tag')).toEqual(['美食']);
    expect(
      texts(render(toCardView(content, 'slate-1')), 'rs-feed-card', 'rs-feed-card__proof'),
    ).toEqual([]);
    // A malformed count is never shown.
    expect(toCardView({ ...content, socialProof: 2 } as FeedCard, 'slate-1').proof).toBe('');
    expect(toCardView({ ...content, socialProof: 1.5 } as FeedCard, 'slate-1').proof).toBe('');
  });

  it('marks an ad 广告 with its advertiser, and shows no image when the creative has none', () => {
    const c = render(toCardView(ad, 'slate-1'));
    expect(texts(c, 'rs-feed-card', 'rs-feed-card__title')).toEqual(['新店开业']);
    expect(texts(c, 'van-tag', 'van-tag')).toEqual(['广告 · 川味小馆']);
    expect(imageSources(c.toJSON())).toEqual([]);
  });

  it('its "…" emits menu with the card key and does not open the card', async () => {
    const c = render(toCardView(ad, 'slate-1'));
    const menu = c.querySelector('.card')?.querySelector('.rs-feed-card__menu');
    expect(menu).toBeTruthy();
    menu?.dispatchEvent('tap');
    await simulate.sleep(0);
    expect(menus).toEqual([{ key: 'ad@3' }]);
    expect(opened).toBe(0);

    // A tap on the card itself reaches the feed's wrapper, which opens it.
    const title = c.querySelector('.card')?.querySelector('.rs-feed-card__title');
    expect(title).toBeTruthy();
    title?.dispatchEvent('tap');
    await simulate.sleep(0);
    expect(opened).toBe(1);
    expect(menus).toHaveLength(1);
  });
});
