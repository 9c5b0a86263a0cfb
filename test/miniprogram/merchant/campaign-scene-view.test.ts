/** The campaign editor's scene helpers (merchant/pages/campaign/view.ts): the order and marks of the interest choices, the hint, the notice. */
import {
  interestChoices,
  sceneHint,
  sceneWarning,
} from '../../../miniprogram/merchant/pages/campaign/view';
import { SCENES } from './campaign-editor';

const facts = (interestTags: string[], over = {}) => ({
  interestTags,
  landsOnItem: false,
  rated: false,
  ...over,
});

describe('campaign editor and the scene', () => {
  it('keeps the catalog order, once each, with nothing marked when the scene serves every campaign', () => {
    for (const scene of [null, SCENES.general]) {
      expect(interestChoices(['美食', '旅行', '美食', '火锅'], scene)).toEqual([
        { value: '美食', off: false },
        { value: '旅行', off: false },
        { value: '火锅', off: false },
      ]);
      expect(sceneHint(scene)).toBe('');
      expect(sceneWarning(scene, facts([]))).toBe('');
    }
  });

  it("puts the scene's categories first (in the catalog's order) and marks the rest", () => {
    expect(interestChoices(['美食', '财经', '火锅', '理财'], SCENES.finance)).toEqual([
      { value: '财经', off: false },
      { value: '理财', off: false },
      { value: '美食', off: true },
      { value: '火锅', off: true },
    ]);
  });

  it('warns until a category of the scene is chosen; a rated product only where the scene takes them', () => {
    expect(sceneWarning(SCENES.travel, facts(['美食']))).toContain('请在兴趣中选择“旅行”');
    expect(sceneWarning(SCENES.travel, facts(['美食', '旅行']))).toBe('');
    expect(sceneWarning(SCENES.finance, facts([], { rated: true }))).toBe('');
    expect(sceneWarning(SCENES.travel, facts([], { rated: true }))).not.toBe('');
    expect(sceneWarning(SCENES.finance, facts([], { landsOnItem: true }))).toContain(
      '兴趣定向未包含“理财”或“财经”，只有落地内容属于这些分类时才会展示',
    );
  });
});
