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
  'NOT_AUTHORISED', // the feed may not report this (another country, another agency): see the feed registry
] as const;
export type IssueCode = (typeof ISSUE_CODES)[number];

export const issue = (path: string, code: IssueCode, message: string): ValidationIssue => ({ path, code, message });

/** A user-supplied string cut to `maxLength` characters (and an ellipsis), so that what quotes it stays short. */
export function shorten(value: string, maxLength = 80): string {
  return value.length > maxLength ? `${value.slice(0, maxLength)}…` : value;
}

/** A user-supplied string for a message: quoted, escaped and shortened, so messages stay readable and safe to log. */
export function quote(value: string, maxLength = 80): string {
  return JSON.stringify(shorten(value, maxLength));
}

/**
 * How many issues a reason or a response lists; the rest are only counted. One message can carry
 * any number of issues (every unknown field is one), and the reason goes into a log line, a
 * dead-letter header and an HTTP answer, which must stay small.
 */
export const MAX_LISTED_ISSUES = 50;

/** The first MAX_LISTED_ISSUES issues, and how many more there were. */
export function listIssues(issues: readonly ValidationIssue[]): { listed: ValidationIssue[]; unlisted: number } {
  return { listed: issues.slice(0, MAX_LISTED_ISSUES), unlisted: Math.max(0, issues.length - MAX_LISTED_ISSUES) };
}

/** One line for logs, CLI output and dead-letter headers: `path: message [CODE]; …; and N more issues`. */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  const { listed, unlisted } = listIssues(issues);
  const line = listed.map((i) => `${i.path}: ${i.message} [${i.code}]`).join('; ');
  return unlisted > 0 ? `${line}; and ${unlisted} more issues` : line;
}
