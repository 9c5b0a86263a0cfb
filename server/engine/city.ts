/** One city, however it is written: "成都", "成都市" and " 成都 " are compared trimmed, without a trailing 市. */
export const cityKey = (c: string): string => c.trim().replace(/市$/, '');
