/** A problem found in a report, phrased for the feed operator who has to fix it. */
export interface ValidationIssue {
  /** Where, as a dotted path with array indexes: `location.lat`, `actors[1].kind`. */
  path: string;
  /** Stable code, for metrics, dead-letter headers and feed-side automation. */
  code: IssueCode;
  message: string;
}

/** Path of an issue about the whole input rather than one of its fields. */
export const ROOT_PATH = '(root)';

export const ISSUE_CODES = [
  'REQUIRED', // missing or empty
  'TYPE', // wrong JSON type
  'RANGE', // number out of its allowed range
  'ENUM', // not one of the allowed values
  'FORMAT', // string not in the expected format
  'TOO_LONG', // string longer than allowed
  'TAXONOMY', // category/sub-category not in the taxonomy
  'INCONSISTENT', // contradicts another field
  'FUTURE_TIMESTAMP', // later than now (beyond the allowed clock skew)
  'UNKNOWN_FIELD', // field not in the schema
] as const;
export type IssueCode = (typeof ISSUE_CODES)[number];

export const issue = (path: string, code: IssueCode, message: string): ValidationIssue => ({ path, code, message });

/** A user-supplied string for a message: quoted, escaped and shortened, so messages stay readable and safe to log. */
export function quote(value: string, maxLength = 80): string {
  return JSON.stringify(value.length > maxLength ? `${value.slice(0, maxLength)}…` : value);
}

/** One line for logs, CLI output and dead-letter headers: `path: message [CODE]; …`. */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message} [${i.code}]`).join('; ');
}
