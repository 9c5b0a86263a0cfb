/**
 * app.json's preloadRule is generated, never hand-written (issue 18): it equals what `npm run
 * gen:preload -- --simulated` derives from the seeded simulator's route entries, and that run
 * measures the merchant staff's moves from 我的 into the merchant subpackage.
 */
import fs from 'node:fs';
import { APP_JSON, simulatedModel, withPreload } from '../../../scripts/gen-preload';
import { transitionProbability } from '../../../server/engine/prefetch/transitions';

jest.setTimeout(60_000);

it('app.json preloadRule equals the generator output for the simulated navigation', async () => {
  const app = JSON.parse(fs.readFileSync(APP_JSON, 'utf8'));
  const model = await simulatedModel();
  expect(app.preloadRule).toEqual(withPreload(app, model).preloadRule);
  expect(app.preloadRule).toEqual({
    'pages/me/index': { network: 'wifi', packages: ['merchant'] },
  });
  // Why: one in five moves from 我的 opens the merchant home (staff), under the 0.5 of an all-network rule.
  const p = transitionProbability(model, 'pages/me/index', 'merchant/pages/home/index');
  expect(p).toBeGreaterThan(0.05);
  expect(p).toBeLessThan(0.5);
  // Deterministic: a second run learns the same model.
  expect(await simulatedModel()).toEqual(model);
});
