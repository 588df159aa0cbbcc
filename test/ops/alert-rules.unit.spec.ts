/**
 * The alert rules and dashboard queries that read counters Prometheus may first see above zero
 * (series born at their first increment), checked on synthetic series with `promtool test rules`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REGIONAL_VIEW } from '../../deploy/grafana/dashboards';
import { buildDashboard, dashboardQueries } from '../../deploy/grafana/dashboard-builder';
import { PROMETHEUS_DIR, promtool } from './prometheus-server';
import { substituteGrafanaVariables } from './promql';

const RULE_FILES = ['rules/vigie-recording.yml', 'rules/vigie-alerts.yml'].map((f) => join(PROMETHEUS_DIR, f));
const hasPromtool = spawnSync('promtool', ['--version']).status === 0;
if (!hasPromtool) console.warn('[test/ops] SKIPPED: promtool is missing (deploy/prometheus/ensure-prometheus.sh installs it).');

/** Runs one promtool rule test (1-minute samples) against the shipped rule files. */
function promtoolTest(test: Record<string, unknown>): { ok: boolean; output: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'vigie-rules-')), 'test.yml');
  writeFileSync(file, stringify({ rule_files: RULE_FILES, evaluation_interval: '1m', tests: [{ interval: '1m', ...test }] }));
  return promtool('test', 'rules', file);
}

/** An alert as promtool expects it: its labels, and the rule's annotations with those labels filled in. */
function expectedAlert(name: string, labels: Record<string, string>): { exp_labels: Record<string, string>; exp_annotations: Record<string, string> } {
  const { groups } = parse(readFileSync(RULE_FILES[1]!, 'utf8')) as { groups: { rules: { alert?: string; labels?: Record<string, string>; annotations: Record<string, string> }[] }[] };
  const rule = groups.flatMap((g) => g.rules).find((r) => r.alert === name)!;
  const fill = (text: string): string => text.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, label: string) => labels[label] ?? '');
  return { exp_labels: { ...rule.labels, ...labels }, exp_annotations: Object.fromEntries(Object.entries(rule.annotations).map(([k, v]) => [k, fill(v)])) };
}

const deadLetters = (service: string, topic: string, reason: string, values: string) => ({
  series: `vigie_dead_letters_total{job="vigie-${service}",instance="i1",service="${service}",topic="${topic}",reason="${reason}"}`,
  values,
});

describe.skipIf(!hasPromtool)('alert rules and dashboard queries on counters (promtool test rules)', () => {
  it("VigieIngestLosingReports fires on reports ingest gave up that were not the feed's fault, from a series at zero or a new one; not on invalid reports", () => {
    const result = promtoolTest({
      input_series: [
        deadLetters('ingest', 'feeds.ml.incidents', 'UNEXPECTED', '0x5 1x10'),
        deadLetters('ingest', 'feeds.sn.incidents', 'ENCODE_FAILED', '_x5 1x10'),
        deadLetters('ingest', 'feeds.ne.incidents', 'INVALID_REPORT', '0x5 3x10'),
        deadLetters('ingest', 'feeds.ne.incidents', 'INVALID_JSON', '_x5 1x10'),
      ],
      alert_rule_test: [
        { eval_time: '4m', alertname: 'VigieIngestLosingReports', exp_alerts: [] },
        {
          eval_time: '8m',
          alertname: 'VigieIngestLosingReports',
          exp_alerts: [
            expectedAlert('VigieIngestLosingReports', { service: 'ingest', topic: 'feeds.ml.incidents', reason: 'UNEXPECTED' }),
            expectedAlert('VigieIngestLosingReports', { service: 'ingest', topic: 'feeds.sn.incidents', reason: 'ENCODE_FAILED' }),
          ],
        },
        // The feeds' faults are VigieFeedRejectionsHigh's.
        { eval_time: '8m', alertname: 'VigieDeadLetters', exp_alerts: [] },
      ],
    });
    expect(result.ok, result.output).toBe(true);
  });

  it('the busiest zones panel counts a zone born within the range whole, and the others by their increase', () => {
    const { expr } = dashboardQueries(buildDashboard(REGIONAL_VIEW)).find((q) => q.panel === 'Zones with the most alert versions')!;
    const zone = (id: string, values: string) => ({ series: `vigie_alerts_published_by_zone_total{job="vigie-correlator",instance="i1",service="correlator",zone_kind="SECTION",zone="${id}",level="HIGH"}`, values });
    const result = promtoolTest({
      input_series: [zone('ML-SN-001', '_x20 2 2 3x10'), zone('ML-SN-002', '4x20 6x10'), zone('ML-SN-003', '7x30')],
      promql_expr_test: [
        {
          expr: substituteGrafanaVariables(expr, { rateInterval: '5m', range: '15m' }),
          eval_time: '30m',
          exp_samples: [
            { labels: '{zone_kind="SECTION",zone="ML-SN-001",level="HIGH"}', value: 3 },
            { labels: '{zone_kind="SECTION",zone="ML-SN-002",level="HIGH"}', value: 2 },
            { labels: '{zone_kind="SECTION",zone="ML-SN-003",level="HIGH"}', value: 0 },
          ],
        },
      ],
    });
    expect(result.ok, result.output).toBe(true);
  });
});
