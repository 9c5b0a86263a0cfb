/** The screenshot renderer's WXSS → CSS conversion (scripts/screenshots/wxss.ts). */
import path from 'node:path';
import {
  componentsOf,
  convertSelector,
  localIconFont,
  rpxToPx,
  withoutRemoteFonts,
  wxssToCss,
} from '../../../scripts/screenshots/wxss';

const repoRoot = path.resolve(__dirname, '../../..');

describe('WXSS to CSS', () => {
  it('draws 750rpx as 375px: integers, decimals and negatives', () => {
    expect(rpxToPx('width:750rpx;margin:-24rpx 0 1.5rpx;border:1px solid')).toBe(
      'width:375px;margin:-12px 0 0.75px;border:1px solid',
    );
  });

  it('makes `page` the body and built-in tags their wx- elements, leaving classes and custom tags alone', () => {
    expect(convertSelector('page')).toBe('body');
    expect(convertSelector('.x view>text,image')).toBe('.x wx-view>wx-text,wx-image');
    expect(convertSelector('.page-view .text van-image')).toBe('.page-view .text van-image');
    expect(convertSelector('scroll-view::after')).toBe('wx-scroll-view::after');
  });

  it("turns :host into the component's own tag and keeps keyframe steps", () => {
    const css = wxssToCss(
      ':host{display:inline-flex}page{--gap:24rpx}@keyframes k{from{top:0}50%{top:10rpx}to{top:20rpx}}',
      'van-icon',
    );
    expect(css).toBe(
      'van-icon{display:inline-flex}body{--gap:12px}@keyframes k{from{top:0}50%{top:5px}to{top:10px}}',
    );
  });

  it('drops a @font-face fetched from a CDN and keeps a local one', () => {
    const remote = "@font-face{font-family:'vant-icon';src:url(//at.alicdn.com/x.woff2)}";
    const local = "@font-face{font-family:'a';src:url('data:font/woff2;base64,AA')}";
    expect(withoutRemoteFonts(`${remote}.a{b:c}${local}`)).toBe(`.a{b:c}${local}`);
  });

  it("finds vant's icon font in @vant/icons, as a data URL", () => {
    expect(localIconFont(repoRoot)).toMatch(
      /^@font-face\{font-family:'vant-icon';.*url\('data:font\/woff2;/,
    );
  });

  it("lists a page's components with the tags simulate registers them under, vant's inner ones included", () => {
    const mp = path.join(repoRoot, 'miniprogram');
    const vant = path.join(repoRoot, 'node_modules/@vant/weapp/lib');
    const found = componentsOf(mp, vant, 'pages/feed/index', 'feed-page');
    expect(found[0]).toEqual({ file: path.join(mp, 'pages/feed/index'), tag: 'feed-page' });
    const tags = found.map((c) => c.tag);
    expect(tags).toEqual(expect.arrayContaining(['van-tabs', 'van-sticky', 'van-tag']));
  });
});
