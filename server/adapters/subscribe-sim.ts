/**
 * WeChat's subscribeMessage.send as a rule set, shared by the local host's stand-in and the test
 * transport so neither is kinder than WeChat: an unknown template answers 40037, data that does
 * not fit the template's fields 47003, a user without an accepted send of that template 43101
 * (each accept in wx.requestSubscribeMessage allows one send, consumed by it). Field rules are
 * WeChat's documented value formats per key kind (thing ≤ 20 characters, time a date-time, …).
 */

export interface SubscribeAnswer {
  errcode: number;
  errmsg: string;
}

/** WeChat's value rule per field kind (the key without its number: thing1 → thing). */
const FIELD_RULES: Record<string, (v: string) => boolean> = {
  thing: (v) => [...v].length >= 1 && [...v].length <= 20,
  number: (v) => /^\d+(\.\d+)?$/.test(v) && v.length <= 32,
  letter: (v) => /^[A-Za-z]{1,32}$/.test(v),
  character_string: (v) => /^[\x21-\x7e]{1,32}$/.test(v),
  time: (v) =>
    /^\d{4}年\d{1,2}月\d{1,2}日( \d{1,2}:\d{2})?$|^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$|^\d{1,2}:\d{2}$/.test(
      v,
    ),
  date: (v) => /^\d{4}年\d{1,2}月\d{1,2}日$|^\d{4}-\d{2}-\d{2}$/.test(v),
  amount: (v) => /^\d+(\.\d{1,2})?元?$/.test(v) && v.length <= 11,
  phrase: (v) => /^[\p{Script=Han}]{1,5}$/u.test(v),
  name: (v) => [...v].length >= 1 && [...v].length <= 10,
};

/** Why `data` does not fit a template with `keys`, or null when it does. */
export function misfit(keys: readonly string[], data: unknown): string | null {
  if (!data || typeof data !== 'object') return 'data is not an object';
  const given = data as Record<string, unknown>;
  for (const key of Object.keys(given))
    if (!keys.includes(key)) return `data key ${key} is not in the template`;
  for (const key of keys) {
    const field = given[key] as { value?: unknown } | undefined;
    if (!field || typeof field.value !== 'string') return `data.${key}.value missing`;
    const rule = FIELD_RULES[key.replace(/\d+$/, '')];
    if (!rule) return `unknown field kind ${key}`;
    if (!rule(field.value)) return `data.${key}.value does not fit its kind`;
  }
  return null;
}

export class SubscribeSim {
  /** Accepted, unused sends per (openid, template): what the user's taps allowed. */
  private readonly quota = new Map<string, number>();
  /** Every message WeChat accepted, in order. */
  readonly delivered: Record<string, unknown>[] = [];

  /** `templates`: the account's templates, id → field keys. */
  constructor(readonly templates: Map<string, readonly string[]> = new Map()) {}

  /** The user tapped 允许 for these templates in wx.requestSubscribeMessage. */
  accept(openid: string, templateId: string): void {
    const k = `${openid}\u0000${templateId}`;
    this.quota.set(k, (this.quota.get(k) ?? 0) + 1);
  }

  quotaOf(openid: string, templateId: string): number {
    return this.quota.get(`${openid}\u0000${templateId}`) ?? 0;
  }

  reset(): void {
    this.quota.clear();
    this.templates.clear();
    this.delivered.length = 0;
  }

  /** subscribeMessage.send with its snake_case request (touser, template_id, page, data). */
  send(req: Record<string, unknown>): SubscribeAnswer {
    const touser = req.touser;
    const templateId = req.template_id;
    if (typeof touser !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(touser))
      return { errcode: 40003, errmsg: 'invalid openid' };
    const keys = typeof templateId === 'string' ? this.templates.get(templateId) : undefined;
    if (!keys) return { errcode: 40037, errmsg: 'invalid template_id' };
    const bad = misfit(keys, req.data);
    if (bad) return { errcode: 47003, errmsg: `argument invalid! ${bad}` };
    const k = `${touser}\u0000${String(templateId)}`;
    const left = this.quota.get(k) ?? 0;
    if (left <= 0) return { errcode: 43101, errmsg: 'user refuse to accept the msg' };
    this.quota.set(k, left - 1);
    this.delivered.push(req);
    return { errcode: 0, errmsg: 'ok' };
  }
}
