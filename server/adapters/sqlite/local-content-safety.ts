/**
 * LOCAL ONLY: the local host's stand-in for WeChat's text check, the simulation's word lists
 * (adapters/content-safety-sim.ts). A deployment checks through cloud/content-safety.ts.
 */
import type { ContentSafety, SafetyScene, SafetyVerdict } from '../../ports/content-safety';
import { msgSecCheck } from '../content-safety-sim';

export class LocalContentSafety implements ContentSafety {
  async check(text: string, openid: string, scene: SafetyScene): Promise<SafetyVerdict> {
    const a = msgSecCheck({ content: text, version: 2, scene, openid });
    if (a.errcode === 87014) return 'risky';
    if (a.errcode !== 0 || !a.result)
      throw new Error(`local msgSecCheck: ${a.errcode} ${a.errmsg}`);
    return a.result.suggest;
  }
}
