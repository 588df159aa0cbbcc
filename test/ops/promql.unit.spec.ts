import { describe, expect, it } from 'vitest';
import { substituteGrafanaVariables, withBoolComparisons } from './promql';

describe('withBoolComparisons', () => {
  it('turns every comparison into a bool comparison, leaving label matchers, strings and ranges alone', () => {
    expect(withBoolComparisons('up{job=~"vigie-.+"} == 0')).toBe('up{job=~"vigie-.+"} == bool 0');
    expect(withBoolComparisons('sum by (service) (rate(x{service!="ingest",a="<=>"}[10m])) > 0')).toBe('sum by (service) (rate(x{service!="ingest",a="<=>"}[10m])) > bool 0');
    expect(withBoolComparisons('a > 1000 and deriv(a[15m]) >= 0')).toBe('a > bool 1000 and deriv(a[15m]) >= bool 0');
    expect(withBoolComparisons('a / b < 0.2 or c != 1 or d <= 2')).toBe('a / b < bool 0.2 or c != bool 1 or d <= bool 2');
  });

  it('leaves bool comparisons and expressions without comparison as they are', () => {
    expect(withBoolComparisons('a > bool 1')).toBe('a > bool 1');
    expect(withBoolComparisons('histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))')).toBe('histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))');
  });
});

describe('substituteGrafanaVariables', () => {
  it('replaces the rate interval and the range', () => {
    expect(substituteGrafanaVariables('rate(x[$__rate_interval]) + increase(y[$__range])', { rateInterval: '5m', range: '1h' })).toBe('rate(x[5m]) + increase(y[1h])');
  });
});
