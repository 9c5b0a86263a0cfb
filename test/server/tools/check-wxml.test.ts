/** check:wxml runs WeChat's real compilers: good sources pass, each broken file is named. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkMiniprogram } from '../../../scripts/check-wxml';

function tempApp(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-wxml-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const good = {
  'app.wxss': '@import "./theme.wxss";\npage { color: #333; }\n',
  'theme.wxss': '.rs-x { padding: 8rpx; }\n',
  'pages/a/index.json': '{ "usingComponents": { "van-cell": "@vant/weapp/cell/index" } }',
  'pages/a/index.wxml':
    '<wxs src="../../utils/fmt.wxs" module="fmt" />\n<van-cell title="{{fmt.up(t)}}" />\n<view wx:for="{{list}}" wx:key="id">{{item.name}}</view>\n',
  'pages/a/index.wxss': '.rs-a { margin: 0; }\n',
  'utils/fmt.wxs': 'module.exports = { up: function (s) { return s.toUpperCase(); } };\n',
  'miniprogram_npm/x/index.wxml': '<view>never compiled: build output is skipped',
};

describe('checkMiniprogram', () => {
  it('passes the project’s own Mini Program', () => {
    const report = checkMiniprogram(path.join(__dirname, '../../../miniprogram'));
    expect(report.failures).toEqual([]);
    expect(report.checked).toBeGreaterThanOrEqual(5);
  });

  it('passes valid sources with wxs modules and @import, skipping miniprogram_npm', () => {
    const report = checkMiniprogram(tempApp(good));
    expect(report).toEqual({ checked: 5, failures: [] });
  });

  it('names each broken file with the compiler’s message', () => {
    const report = checkMiniprogram(
      tempApp({
        ...good,
        'pages/a/index.wxml': '<view>\n  <text>{{a}}</text>\n',
        'pages/a/index.wxss': '.rs-a { color: red;\n',
        'utils/fmt.wxs': 'module.exports = { up: function (s) { return s',
      }),
    );
    expect(report.checked).toBe(5);
    expect(report.failures.map((f) => f.file).sort()).toEqual([
      'pages/a/index.wxml',
      'pages/a/index.wxss',
      'utils/fmt.wxs',
    ]);
    const wxml = report.failures.find((f) => f.file === 'pages/a/index.wxml');
    expect(wxml?.error).toMatch(/end tag missing/);
  });

  it('reports a missing @import or wxs module instead of passing', () => {
    const report = checkMiniprogram(
      tempApp({
        'a.wxss': '@import "./nope.wxss";\n',
        'b.wxml': '<wxs src="./nope.wxs" module="m" /><view/>',
      }),
    );
    expect(report.failures.map((f) => f.file)).toEqual(['a.wxss', 'b.wxml']);
  });
});
