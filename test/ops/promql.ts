/**
 * PromQL helpers for checking alert rules against live data. An alert expression returns data only
 * while the alert fires; `<signal> > bool <threshold>` returns the signal's series as 0 or 1 either
 * way, so it proves the metrics, labels and functions of the rule exist whether it fires or not.
 */

const COMPARISONS = ['==', '!=', '>=', '<=', '>', '<'];

/** Adds `bool` to every comparison operator outside label matchers, strings and ranges. */
export function withBoolComparisons(expr: string): string {
  let out = '';
  let depth = 0; // inside {…} or […]
  let quote: string | undefined;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i]!;
    if (quote) {
      out += c;
      if (c === '\\') out += expr[++i] ?? '';
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (depth === 0) {
      const op = COMPARISONS.find((o) => expr.startsWith(o, i));
      if (op && !/^\s*bool\b/.test(expr.slice(i + op.length))) {
        out += `${op} bool`;
        i += op.length - 1;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/** Grafana's variables, given the values a test run can answer: rates over the run, the run as range. */
export function substituteGrafanaVariables(expr: string, values: { rateInterval: string; range: string }): string {
  return expr.replaceAll('$__rate_interval', values.rateInterval).replaceAll('$__range', values.range);
}
