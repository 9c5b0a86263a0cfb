/**
 * The Me page's 好友与圈子 section in miniprogram-simulate with real @vant/weapp and a stubbed
 * `content` client: counts, people to follow (a tap follows by handle and removes the row),
 * groups, followed authors (取消关注), the hide-me switch, and the error state with 重试.
 */
import * as simulate from 'miniprogram-simulate';
import type { ContentRequest, ContentResponse } from '../../../typings';
import { setApi } from '../../../miniprogram/services/api';
import { ApiError } from '../../../miniprogram/services/api-error';
import sectionJson from '../../../miniprogram/pages/me/social/index.json';
import pageJson from '../../../miniprogram/pages/me/index.json';
import { loadWithVant } from '../helpers/vant';
import { stubFunction } from '../helpers/stub-api';

type AnyObject = WechatMiniprogram.IAnyObject;
type Section = simulate.RootComponent<AnyObject, AnyObject, AnyObject>;

let sectionId: string;
beforeAll(() => {
  sectionId = loadWithVant('pages/me/social/index', 'rs-social', sectionJson.usingComponents);
});
afterEach(() => setApi(null));

const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await simulate.sleep(0);
};

const HANDLE = 'AbCdEfGhIjKlMnOp';
function answers(fail = false): ContentRequest[] {
  return stubFunction('content', (req): ContentResponse | Error => {
    if (fail) return new ApiError('UNAVAILABLE', '服务暂时不可用，请稍后重试');
    switch (req.action) {
      case 'social.suggestions':
        return {
          action: req.action,
          people: [{ handle: HANDLE, name: '微信用户 AbCd' }],
          groups: [{ id: 'community:2', name: '兴趣相近的圈子', score: 1.5 }],
          hidden: false,
        };
      case 'social.following':
      case 'social.followers':
        return { action: req.action, people: [] };
      case 'social.follow':
        return { action: req.action, person: { handle: req.handle, name: 'x', following: true } };
      case 'social.hide':
        return { action: req.action, hidden: req.hidden };
      case 'author.following':
        return {
          action: req.action,
          authors: [{ id: 'author-1', name: '作者 author-1', following: true }],
        };
      case 'author.unfollow':
        return { action: req.action, unfollowed: true };
      default:
        return new Error(`unexpected ${req.action}`);
    }
  });
}

async function open(): Promise<Section> {
  const s = simulate.render(sectionId);
  s.attach(document.createElement('parent-wrapper'));
  await settle();
  s.querySelector('#rs-social-toggle')?.querySelector('.van-cell')?.dispatchEvent('tap');
  await settle();
  return s;
}

const text = (s: Section): string =>
  ((s.dom as HTMLElement).textContent ?? '').replace(/\s+/g, ' ');

describe('Me: 好友与圈子', () => {
  it('is placed on the Me page', () => {
    expect(pageJson.usingComponents).toHaveProperty('rs-social', './social/index');
  });

  it('stays folded, with no request, until tapped', async () => {
    const calls = answers();
    const s = simulate.render(sectionId);
    s.attach(document.createElement('parent-wrapper'));
    await settle();
    expect(calls).toEqual([]);
    expect(text(s)).toContain('关注、粉丝、可能认识的人');
  });

  it('shows counts, people and groups, and follows by handle', async () => {
    const calls = answers();
    const s = await open();
    expect(text(s)).toContain('关注 0 · 粉丝 0');
    expect(text(s)).toContain('微信用户 AbCd');
    expect(text(s)).toContain('兴趣相近的圈子');
    s.querySelector(`#rs-social-follow-${HANDLE}`)
      ?.querySelector('.van-button')
      ?.dispatchEvent('tap');
    await settle();
    expect(calls).toContainEqual({ action: 'social.follow', handle: HANDLE });
    expect(text(s)).toContain('关注 1 · 粉丝 0');
    expect(text(s)).not.toContain('微信用户 AbCd');
    expect(text(s)).toContain('暂时没有推荐');
  });

  it('lists the followed authors, and 取消关注 removes one', async () => {
    const calls = answers();
    const s = await open();
    expect(text(s)).toContain('关注的作者');
    expect(text(s)).toContain('作者 author-1');
    s.querySelector('#rs-social-unfollow-author-0')
      ?.querySelector('.van-button')
      ?.dispatchEvent('tap');
    await settle();
    expect(calls).toContainEqual({ action: 'author.unfollow', authorId: 'author-1' });
    expect(text(s)).not.toContain('作者 author-1');
    expect(text(s)).toContain('还没有关注作者');
  });

  it('the switch hides the caller from social proof', async () => {
    const calls = answers();
    const s = await open();
    s.querySelector('#rs-social-hide')?.querySelector('.van-switch')?.dispatchEvent('tap');
    await settle();
    expect(calls).toContainEqual({ action: 'social.hide', hidden: true });
    expect(s.instance.data.hidden).toBe(true);
  });

  it('an error shows the message and 重试, which loads again', async () => {
    answers(true);
    const s = await open();
    expect(text(s)).toContain('服务暂时不可用，请稍后重试');
    expect(s.querySelector('#rs-social-retry')).toBeTruthy();
    const calls = answers();
    s.querySelector('#rs-social-retry')?.querySelector('.van-button')?.dispatchEvent('tap');
    await settle();
    expect(calls.map((c) => c.action)).toContain('social.suggestions');
    expect(text(s)).not.toContain('服务暂时不可用');
    expect(text(s)).toContain('关注 0 · 粉丝 0');
  });
});
