/** Audit records shared by every audited kind (campaigns, experiments). */

/** One field's change in an audit entry (values as stored, JSON-compatible). */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}
