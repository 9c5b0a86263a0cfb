import path from 'node:path';
import {
  checkMiniprogramA11y,
  checkWxml,
  classHeights,
  lengthPx,
} from '../../../scripts/check-a11y';

describe('accessibility rules', () => {
  it('holds for every page and component of the Mini Program', () => {
    const { checked, problems } = checkMiniprogramA11y(
      path.join(__dirname, '../../../miniprogram'),
    );
    expect(checked).toBeGreaterThan(4);
    expect(problems.map((p) => `${p.file}:${p.line} ${p.message}`)).toEqual([]);
  });

  it('reads heights from plain class rules in px or rpx', () => {
    expect(lengthPx('88rpx')).toBe(44);
    expect(lengthPx(' 44px !important')).toBe(44);
    expect(lengthPx('1.6')).toBeNull();
    const h = classHeights(
      '.a { min-height: 88rpx; } .x .b:active, .c { line-height: 50px } /* .d { height: 99px } */ .e { height: 20px }',
    );
    expect(Object.fromEntries(h)).toEqual({ a: 44, b: 50, c: 50, e: 20 });
  });

  it('flags a short tap target, a small button without a tall class, and an icon button without a name', () => {
    const heights = classHeights('.tall { min-height: 88rpx } .short { height: 30px }');
    const wxml = [
      '<view class="short" bind:tap="a">打开</view>',
      '<view class="tall" bind:tap="b">打开</view>',
      '<van-button size="small" bind:click="c">重试</van-button>',
      '<van-button size="small" custom-class="tall" bind:click="d">重试</van-button>',
      '<view class="tall" catch:tap="e">…</view>',
      '<view class="tall" catch:tap="f" aria-label="更多操作">…</view>',
      '<van-icon name="close" class="tall" bind:click="g" />',
      '<view class="{{x}}" bind:tap="h"><van-cell title="卡片" /></view>',
    ].join('\n');
    expect(checkWxml('p.wxml', wxml, heights).map((p) => [p.line, p.message.slice(0, 40)])).toEqual(
      [
        [1, '<view> has a tap handler but no class gi'],
        [3, '<van-button size="small"> is under 44 px'],
        [5, '<view> has a tap handler and no text of '],
        [7, '<van-icon> has a tap handler and no text'],
      ],
    );
  });
});
