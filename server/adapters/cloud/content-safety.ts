/**
 * WeChat's text check through the open API (cloud.openapi.security.msgSecCheck, version 2 with
 * the author's openid and the scene; the function's config.json lists it under
 * permissions.openapi). Risky content comes back as errcode 87014 or as result.suggest "risky".
 */
import type { ContentSafety, SafetyScene, SafetyVerdict } from '../../ports/content-safety';
import type { Cloud } from './sdk';

interface Answer {
  errcode?: number;
  errmsg?: string;
  errCode?: number;
  errMsg?: string;
  result?: { suggest?: string };
  /** WeChat's JSON answer as bytes, when the SDK does not decode it. */
  buffer?: Buffer | { type: 'Buffer'; data: number[] };
}

/** WeChat's own answer inside the SDK's result: decoded already, or JSON bytes. */
function wechatAnswer(res: Answer): Answer {
  if (res.result && typeof res.result === 'object') return res;
  const raw = res.buffer;
  if (!raw) return res;
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.data);
  return JSON.parse(bytes.toString('utf8')) as Answer;
}

const RISKY = 87014;

export class CloudContentSafety implements ContentSafety {
  constructor(private readonly cloud: Cloud) {}

  async check(text: string, openid: string, scene: SafetyScene): Promise<SafetyVerdict> {
    const api = (this.cloud as unknown as { openapi: Record<string, Record<string, unknown>> })
      .openapi;
    const call = api.security.msgSecCheck as (o: unknown) => Promise<Answer>;
    let res: Answer;
    try {
      res = await call({ content: text, version: 2, scene, openid });
    } catch (err) {
      const e = err as Answer;
      if (e.errCode === RISKY || e.errcode === RISKY) return 'risky';
      throw err;
    }
    const answer = wechatAnswer(res);
    const code = answer.errcode ?? 0;
    if (code === RISKY) return 'risky';
    if (code !== 0) throw new Error(`msgSecCheck: ${code} ${answer.errmsg ?? ''}`);
    const suggest = answer.result?.suggest;
    if (suggest === 'pass' || suggest === 'review' || suggest === 'risky') return suggest;
    throw new Error(`msgSecCheck: no verdict in the answer`);
  }
}
