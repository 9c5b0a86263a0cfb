/** Words the FAQ analyzer keeps whole in every scene (product names jieba's dictionary splits); a merchant's own words add to them. */
export const FINANCE_DICTIONARY: readonly string[] = [
  '花呗',
  '借呗',
  '蚂蚁花呗',
  '蚂蚁借呗',
  '网商贷',
  '余额宝',
  '支付宝',
  '芝麻信用',
  '芝麻分',
];
