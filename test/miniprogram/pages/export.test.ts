/**
 * 导出内容 (issue 20, item 5) in miniprogram-simulate with real @vant/weapp components: the last
 * export's sections under their Chinese names with counts and readable first records, sending
 * the file to a chat, and the empty state when nothing was exported.
 */
import * as simulate from 'miniprogram-simulate';
import { exportDocument, rememberExport } from '../../../miniprogram/services/export-file';
import { recordLines, sectionViews } from '../../../miniprogram/pages/export/view';
import pageJson from '../../../miniprogram/pages/export/index.json';
import { loadWithVant } from '../helpers/vant';
import { texts } from '../helpers/texts';
import { expectExperience } from '../helpers/experience';

type AnyObject = WechatMiniprogram.IAnyObject;
type ExportPage = Omit<simulate.RootComponent<AnyObject, AnyObject, AnyObject>, 'instance'> & {
  instance: { onLoad(): void; data: AnyObject };
};

let pageId: string;
beforeAll(() => {
  pageId = loadWithVant('pages/export/index', 'export-page', pageJson.usingComponents);
});

afterEach(() => {
  rememberExport(null);
  jest.restoreAllMocks();
});

function open(): ExportPage {
  const page = simulate.render(pageId) as unknown as ExportPage;
  page.attach(document.createElement('parent-wrapper'));
  page.instance.onLoad();
  return page;
}

async function tap(page: ExportPage, id: string): Promise<void> {
  const node = page.querySelector(`#${id}`)?.querySelector('.van-button');
  if (!node) throw new Error(`no button inside #${id}`);
  node.dispatchEvent('tap');
  await simulate.sleep(0);
}

const at = new Date(2026, 11, 6, 13, 5, 9);
const events = Array.from({ length: 7 }, (_, i) => ({
  seq: i + 1,
  type: 'click',
  itemId: `item-${i}`,
}));

describe('export summary page', () => {
  it('shows each section in Chinese with its count and its first five records, and the rest as a count', async () => {
    const doc = exportDocument({ events, consents: [{ granted: true, at: at.getTime() }] }, at);
    rememberExport({
      doc,
      filePath: '/usr/我的数据-20261206-130509.json',
      fileName: '我的数据-20261206-130509.json',
    });
    const page = open();
    await simulate.sleep(0);
    expectExperience(page, 20); // the first screen within the experience-score rules
    expect(page.instance.data.exportedAt).toBe('2026-12-06 13:05:09');
    expect(page.instance.data.total).toBe(8);
    const titles = page.instance.data.sections.map((s: { title: string }) => s.title);
    expect(titles).toEqual(['行为记录', '同意记录']);
    expect(page.instance.data.sections[0].records).toHaveLength(5);
    expect(texts(page, 'export-page', 'rs-export__more')).toEqual(['还有 2 条，见导出文件']);
    const lines = texts(page, 'export-page', 'rs-export__line');
    expect(lines.slice(0, 3)).toEqual(['seq：1', 'type：click', 'itemId：item-0']);
    expect(lines).toContain('at：2026-12-06 13:05:09');
  });

  it('sends the file to a chat', async () => {
    const share = jest.spyOn(wx, 'shareFileMessage');
    const doc = exportDocument({ events }, at);
    rememberExport({ doc, filePath: '/usr/f.json', fileName: 'f.json' });
    const page = open();
    await tap(page, 'rs-export-share');
    expect(share).toHaveBeenCalledWith(
      expect.objectContaining({ filePath: '/usr/f.json', fileName: 'f.json' }),
    );
  });

  it('offers no sending when the file could not be written', async () => {
    rememberExport({ doc: exportDocument({ events }, at), filePath: '', fileName: 'f.json' });
    const page = open();
    await simulate.sleep(0);
    expect(page.querySelector('#rs-export-share')).toBeUndefined();
    expect(page.instance.data.sections).toHaveLength(1);
  });

  it('without an export says where to make one, and goes back', async () => {
    const back = jest.spyOn(wx, 'navigateBack');
    const page = open();
    await simulate.sleep(0);
    expect(page.instance.data.empty).toBe(true);
    expect(page.querySelector('#rs-export-empty')).toBeDefined();
    await tap(page, 'rs-export-back');
    expect(back).toHaveBeenCalled();
  });
});

describe('export view', () => {
  it('cuts long values, shows nulls as empty and objects as JSON', () => {
    expect(recordLines({ a: null, b: { x: 1 }, c: '长'.repeat(70) })).toEqual([
      'a：（空）',
      'b：{"x":1}',
      `c：${'长'.repeat(60)}…`,
    ]);
  });

  it('keeps an unknown collection under its own name', () => {
    const [s] = sectionViews(exportDocument({ brand_new: [{ k: 1 }] }, at));
    expect(s.title).toBe('brand_new');
    expect(s.more).toBe('');
  });
});
