/** Where a tapped card was served (slate id and position), carried in a page query so the next page's events name it. */

export interface SlateRef {
  slateId?: string;
  position?: number;
}

/** The slate reference of a page query; absent or malformed parts are left out, never guessed. */
export function slateRefOf(query: Record<string, string | undefined> | undefined): SlateRef {
  const ref: SlateRef = {};
  if (query?.slateId) ref.slateId = query.slateId;
  const position = Number(query?.position);
  if (
    query?.position !== undefined &&
    query.position !== '' &&
    Number.isInteger(position) &&
    position >= 0
  )
    ref.position = position;
  return ref;
}

/** The query string for a card's page: `itemId=…&slateId=…&position=…`, each value URI-encoded. */
export function toQuery(params: Record<string, string | number | undefined>): string {
  return Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');
}
