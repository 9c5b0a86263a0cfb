/**
 * The campaign editor page under test, set up once for every campaign page suite: loaded with real
 * @vant/weapp per file, the clock at NOW, the API client and uploader reset after each test; its
 * `targeting.options` answers with the deployment's scene; and the few reads and taps the suites share.
 */
import * as simulate from 'miniprogram-simulate';
import type { CampaignScene, MerchantRequest, TargetingOptions } from '../../../typings';
import { setApi } from '../../../miniprogram/services/api';
import { setUploader } from '../../../miniprogram/services/upload';
import pageJson from '../../../miniprogram/merchant/pages/campaign/index.json';
import { expectExperience } from '../helpers/experience';
import { loadWithVant } from '../helpers/vant';
import { NOW, settle } from './campaign-fixtures';
import type { Script } from './campaign-fixtures';

type AnyObject = WechatMiniprogram.IAnyObject;
export type EditorPage = Omit<
  simulate.RootComponent<AnyObject, AnyObject, AnyObject>,
  'instance'
> & {
  instance: { onLoad(q?: object): Promise<void>; data: AnyObject };
};

/** The deployments' scenes as `targeting.options` names them (server/scenes.ts). */
export const SCENES: Record<'general' | 'finance' | 'travel', CampaignScene> = {
  general: { name: 'general', label: '综合', categories: null, ratedProducts: true },
  finance: {
    name: 'finance',
    label: '金融理财',
    categories: ['理财', '财经'],
    ratedProducts: true,
  },
  travel: { name: 'travel', label: '旅游出行', categories: ['旅行'], ratedProducts: false },
};

/** `targeting.options`' answer: the catalog's vocabulary under a scene (综合 unless named). */
export const targetingOptions = (
  options: TargetingOptions,
  scene: CampaignScene = SCENES.general,
): NonNullable<Script['targeting.options']> => ({
  action: 'targeting.options',
  options,
  scene,
});

export interface CampaignEditor {
  /** A fresh page, attached, not yet loaded. */
  render(): EditorPage;
  /** A fresh page loaded with `query` (`campaignId` edits). */
  open(query?: object): Promise<EditorPage>;
}

/** Registers the suite's hooks (call it at the top of the test file) and returns the page opener. */
export function useCampaignEditor(): CampaignEditor {
  let pageId = '';
  beforeAll(() => {
    pageId = loadWithVant(
      'merchant/pages/campaign/index',
      'campaign-editor',
      pageJson.usingComponents,
    );
  });
  beforeEach(() => {
    jest.spyOn(Date, 'now').mockReturnValue(NOW);
  });
  afterEach(() => {
    setApi(null);
    setUploader(null);
    jest.restoreAllMocks();
  });
  const render = (): EditorPage => {
    const page = simulate.render(pageId) as unknown as EditorPage;
    page.attach(document.createElement('parent-wrapper'));
    return page;
  };
  return {
    render,
    async open(query = {}) {
      const page = render();
      await page.instance.onLoad(query);
      expectExperience(page, 5); // the first screen within the experience-score rules
      await settle();
      return page;
    },
  };
}

export const dom = (page: EditorPage): HTMLElement => page.dom as HTMLElement;

/** The saves a scripted client received. */
export const saved = (calls: MerchantRequest[]): MerchantRequest[] =>
  calls.filter((c) => c.action === 'campaign.create' || c.action === 'campaign.update');

/** Taps a stepper's + or − button `times` times. */
export async function step(
  page: EditorPage,
  id: string,
  which: 'plus' | 'minus',
  times = 1,
): Promise<void> {
  for (let i = 0; i < times; i++) {
    const node = page.querySelector(`#${id}`)?.querySelector(`.van-stepper__${which}`);
    if (!node) throw new Error(`no ${which} in #${id}`);
    node.dispatchEvent('tap');
    await settle();
  }
}

/** Taps the chip showing `label` (interest, gender, age band, scene, hour). */
export async function tapChip(page: EditorPage, label: string): Promise<void> {
  const chip = Array.from(dom(page).querySelectorAll('.campaign-editor--rs-ce__chip')).find(
    (n) => n.textContent?.trim() === label,
  );
  if (!chip) throw new Error(`no chip ${label}`);
  // simulate's querySelector wraps nodes for dispatch; find the same chip through it by index.
  const all = page.querySelectorAll('.rs-ce__chip');
  const index = Array.from(dom(page).querySelectorAll('.campaign-editor--rs-ce__chip')).indexOf(
    chip,
  );
  all[index].dispatchEvent('tap');
  await settle();
}

/** The next picked image (wx.chooseMedia and wx.chooseImage, whichever vant's uploader asks): `path`, 1,000 bytes. */
export function pickImage(path: string): void {
  const pick = (opts: { success?: (r: unknown) => void }) =>
    opts.success?.({
      tempFiles: [{ tempFilePath: path, size: 1000, fileType: 'image' }],
      type: 'image',
    });
  jest.spyOn(wx, 'chooseMedia').mockImplementation(pick as never);
  jest
    .spyOn(wx, 'chooseImage')
    .mockImplementation(((opts: { success?: (r: unknown) => void }) =>
      opts.success?.({ tempFiles: [{ path, size: 1000 }], tempFilePaths: [path] })) as never);
}

/** Taps the uploader and waits for the upload (the fake wx answers it on a timer). */
export async function tapUpload(page: EditorPage): Promise<void> {
  page.querySelector('#rs-ce-image')!.querySelector('.van-uploader__upload')!.dispatchEvent('tap');
  await settle();
  await simulate.sleep(5);
  await settle();
}
