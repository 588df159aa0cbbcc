/**
 * The Vigie dashboards, as code. `npm run dashboards` writes them to deploy/grafana/dashboards/*.json,
 * which Grafana loads through provisioning/dashboards/vigie.yml; test/ops checks that the JSON is
 * up to date and that every query returns data from a live pipeline.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDashboard, type DashboardSpec, type PanelSpec } from './dashboard-builder';

const RATE = '$__rate_interval';
const VIGIE_JOBS = '{job=~"vigie-.+"}';
const perService = (expr: string, legend = '{{service}}'): PanelSpec['queries'][number] => ({ expr, legend });
const quantile = (q: number, metric: string, by = 'service'): string => `histogram_quantile(${q}, sum by (${by}, le) (rate(${metric}_bucket[${RATE}])))`;
/**
 * What a counter gained in the selected range when its series are born at their first increment
 * (one per zone: too many to start at 0). increase() misses a series' first step, so a series born
 * within the range counts whole.
 */
const increaseCountingBirths = (metric: string, by: string): string =>
  `sum by (${by}) ((${metric} unless ${metric} offset $__range) or increase(${metric}[$__range]))`;

export const PIPELINE_OVERVIEW: DashboardSpec = {
  uid: 'vigie-pipeline',
  title: 'Vigie — pipeline overview',
  description: 'Throughput, lag, latency and errors of the four stages (ingest → enricher → correlator → dispatcher).',
  rows: [
    {
      row: 'Services',
      panels: [
        { title: 'Instances up', description: 'Scrapable instances per stage (0 = down).', kind: 'stat', unit: 'none', width: 8, redBelowOne: true, queries: [{ expr: `sum by (job) (up${VIGIE_JOBS})`, legend: '{{job}}' }] },
        { title: 'Messages consumed per stage', description: 'Input messages handled and committed, per second.', kind: 'timeseries', unit: 'mps', width: 16, queries: [perService(`sum by (service) (rate(vigie_messages_consumed_total[${RATE}]))`)] },
      ],
    },
    {
      row: 'Throughput',
      panels: [
        { title: 'Messages produced per topic', description: 'Messages acknowledged by Kafka, per output topic, per second.', kind: 'timeseries', unit: 'mps', width: 8, queries: [{ expr: `sum by (topic) (rate(vigie_messages_produced_total[${RATE}]))`, legend: '{{topic}}' }] },
        { title: 'Batch processing time (p95)', description: 'Time to process one consumed batch, commit included.', kind: 'timeseries', unit: 's', width: 8, queries: [perService(quantile(0.95, 'vigie_batch_processing_duration_seconds'))] },
        { title: 'Busy consumers', description: 'Replicas whose fetches wait for 64 KiB because they receive KAFKA_FETCH_BUSY_RATE messages a second or more (a burst, a replay); calm ones fetch at the first message.', kind: 'timeseries', unit: 'short', width: 8, queries: [perService('sum by (service) (vigie_consumer_fetch_busy)')] },
      ],
    },
    {
      row: 'Lag',
      panels: [
        { title: 'Consumer lag per stage and topic', description: "Messages between each group's committed offsets and the log end (read from the broker).", kind: 'timeseries', unit: 'short', queries: [{ expr: 'vigie:consumer_lag_messages:sum', legend: '{{service}} {{topic}}' }] },
        { title: 'Most lagging partitions', description: 'The ten partitions with the most lag now.', kind: 'bargauge', unit: 'short', queries: [{ expr: 'topk(10, max by (service, topic, partition) (vigie_consumer_lag_messages))', legend: '{{service}} {{topic}}/{{partition}}' }] },
      ],
    },
    {
      row: 'End-to-end latency',
      panels: [
        {
          title: 'Report → alert published (correlator) and delivered (dispatcher)',
          description: "From the reportedAt of the newest report behind an alert version to the broker's acknowledgement. Objective: p95 under 60 s.",
          kind: 'timeseries',
          unit: 's',
          width: 16,
          queries: [0.5, 0.95, 0.99].map((q) => perService(quantile(q, 'vigie_end_to_end_latency_seconds'), `{{service}} p${Math.round(q * 100)}`)),
        },
        { title: 'Redis round trip (p99)', description: 'Per stage and command (scripts are evalsha).', kind: 'timeseries', unit: 's', width: 8, queries: [{ expr: quantile(0.99, 'vigie_redis_roundtrip_duration_seconds', 'service, command'), legend: '{{service}} {{command}}' }] },
      ],
    },
    {
      row: 'Errors and late events',
      panels: [
        { title: 'Dead letters', description: 'Messages sent to a dead-letter topic (incidents.rejected for ingest, pipeline.deadletter otherwise), by stage and reason.', kind: 'timeseries', unit: 'mps', width: 8, queries: [{ expr: `sum by (service, reason) (rate(vigie_dead_letters_total[${RATE}]))`, legend: '{{service}} {{reason}}' }] },
        { title: 'Late events', description: 'Reports later than the allowed lateness of their window, routed to incidents.late.', kind: 'timeseries', unit: 'mps', width: 8, queries: [perService(`sum by (service) (rate(vigie_late_events_total[${RATE}]))`)] },
        { title: 'Duplicates dropped', description: 'Reports, events and deliveries recognised as already seen.', kind: 'timeseries', unit: 'mps', width: 8, queries: [perService(`sum by (service) (rate(vigie_events_deduplicated_total[${RATE}]))`)] },
        { title: 'Retries', description: 'Retried attempts at a batch (Redis or broker trouble, conflicts).', kind: 'timeseries', unit: 'short', width: 8, queries: [perService(`sum by (service) (increase(vigie_retries_total[${RATE}]))`)] },
        { title: 'Rebalances and consumer crashes', description: 'Consumer group rebalances joined and kafkajs consumer crashes.', kind: 'timeseries', unit: 'short', width: 8, queries: [perService(`sum by (service) (increase(vigie_consumer_rebalances_total[${RATE}]))`, '{{service}} rebalances'), perService(`sum by (service) (increase(vigie_consumer_crashes_total[${RATE}]))`, '{{service}} crashes')] },
        {
          title: 'Correlator: incidents sealed',
          description: 'Incident copies sealed per second by zones at their detail limit (CORRELATOR_ZONE_DETAIL_LIMIT): still counted, no longer revisable; reports that occurred before them become late. Zero at regional rates.',
          kind: 'timeseries',
          unit: 'mps',
          width: 8,
          queries: [{ expr: `sum by (instance) (rate(vigie_correlator_incidents_sealed_total[${RATE}]))`, legend: '{{instance}} sealed' }],
        },
        {
          title: 'Enricher: incidents withdrawn from zones',
          description: 'Copies per second withdrawing an incident from a zone it was in: a later revision moved it, or a retraction located nowhere. Feeds correcting locations.',
          kind: 'timeseries',
          unit: 'mps',
          width: 8,
          queries: [{ expr: `sum by (instance) (rate(vigie_enricher_zone_withdrawals_total[${RATE}]))`, legend: '{{instance}} withdrawn' }],
        },
      ],
    },
    {
      row: 'Processes',
      panels: [
        { title: 'CPU', description: 'CPU time per second, per instance.', kind: 'timeseries', unit: 'percentunit', width: 8, queries: [{ expr: `rate(process_cpu_seconds_total${VIGIE_JOBS}[${RATE}])`, legend: '{{job}} {{instance}}' }] },
        { title: 'Resident memory', description: 'Per instance.', kind: 'timeseries', unit: 'bytes', width: 8, queries: [{ expr: `process_resident_memory_bytes${VIGIE_JOBS}`, legend: '{{job}} {{instance}}' }] },
        { title: 'Correlator: incidents held in detail', description: 'Incident copies the correlator holds in memory (at most the detail limit per zone).', kind: 'timeseries', unit: 'short', width: 8, queries: [{ expr: 'vigie_correlator_incidents_held', legend: '{{instance}}' }] },
        { title: 'Event loop lag (p99)', description: 'A busy event loop delays heartbeats and probes.', kind: 'timeseries', unit: 's', width: 8, queries: [{ expr: `nodejs_eventloop_lag_p99_seconds${VIGIE_JOBS}`, legend: '{{job}} {{instance}}' }] },
      ],
    },
  ],
};

export const REGIONAL_VIEW: DashboardSpec = {
  uid: 'vigie-regional',
  title: 'Vigie — regional view',
  description: 'Alerts by level, zone and agency; activity of the national feeds, silent ones in red.',
  rows: [
    {
      row: 'Alerts',
      panels: [
        { title: 'Alert versions published by level', description: 'In the selected time range.', kind: 'stat', unit: 'none', width: 8, queries: [{ expr: 'sum by (level) (increase(vigie_alerts_published_total[$__range]))', legend: '{{level}}' }] },
        { title: 'Alert versions published over time', description: 'By level, per second.', kind: 'timeseries', unit: 'short', width: 16, queries: [{ expr: `sum by (level) (rate(vigie_alerts_published_total[${RATE}]))`, legend: '{{level}}' }] },
        { title: 'Zones with the most alert versions', description: 'In the selected time range, by zone and level.', kind: 'bargauge', unit: 'none', queries: [{ expr: `topk(15, ${increaseCountingBirths('vigie_alerts_published_by_zone_total', 'zone_kind, zone, level')})`, legend: '{{zone_kind}} {{zone}} {{level}}' }] },
        { title: 'Alert versions by status', description: 'FIRING, UPDATED, RESOLVED, RETRACTED in the selected time range.', kind: 'bargauge', unit: 'none', queries: [{ expr: 'sum by (status) (increase(vigie_alerts_published_total[$__range]))', legend: '{{status}}' }] },
      ],
    },
    {
      row: 'Agencies',
      panels: [
        { title: 'Deliveries per agency', description: 'Alert versions delivered in the selected time range, in full or redacted.', kind: 'bargauge', unit: 'none', width: 9, queries: [{ expr: 'sum by (agency, access) (increase(vigie_alert_deliveries_total[$__range]))', legend: '{{agency}} ({{access}})' }] },
        { title: 'Subscriptions per agency', description: 'Subscriptions the dispatcher holds now.', kind: 'bargauge', unit: 'none', width: 9, queries: [{ expr: 'max by (agency) (vigie_subscriptions)', legend: '{{agency}}' }] },
        {
          title: 'Held back beyond the ledger’s reach',
          description: 'Alert versions not delivered because their arrival watermark is older than DELIVERY_TTL_DAYS, in the selected time range: a rebuild of older history, or a backlog that old (see the README, “Losing Redis”).',
          kind: 'stat',
          unit: 'none',
          width: 6,
          queries: [{ expr: 'sum(increase(vigie_dispatcher_beyond_ledger_reach_total[$__range]))', legend: 'versions' }],
        },
      ],
    },
    {
      row: 'National feeds',
      panels: [
        { title: 'Silent feeds (no report in 6 h)', description: 'Countries with a registered feed and no report in the last 6 hours.', kind: 'stat', unit: 'none', width: 6, queries: [{ expr: 'count(vigie:feed_reports:increase6h == 0) or vector(0)', legend: 'silent feeds' }] },
        { title: 'Reports per country', description: 'Reports received in the selected time range; red: none (a silent feed).', kind: 'bargauge', unit: 'none', width: 9, redBelowOne: true, queries: [{ expr: 'sum by (country) (increase(vigie_feed_reports_total[$__range]))', legend: '{{country}}' }] },
        { title: 'Reports per country and outcome', description: 'Accepted, rejected (dead-lettered to incidents.rejected, or refused by the HTTP API) and duplicate, in the selected time range.', kind: 'bargauge', unit: 'none', width: 9, queries: [{ expr: 'sum by (country, outcome) (increase(vigie_feed_reports_total[$__range])) > 0', legend: '{{country}} {{outcome}}' }] },
        { title: 'Accepted reports over time', description: 'Per country, per second.', kind: 'timeseries', unit: 'short', width: 24, queries: [{ expr: `sum by (country) (rate(vigie_feed_reports_total{outcome="accepted"}[${RATE}]))`, legend: '{{country}}' }] },
      ],
    },
  ],
};

export const DASHBOARDS = { 'pipeline-overview': PIPELINE_OVERVIEW, 'regional-view': REGIONAL_VIEW } as const;

export const DASHBOARD_DIR = join(__dirname, 'dashboards');

/** The JSON file contents, as written and as checked by the tests. */
export function renderDashboards(): Record<string, string> {
  return Object.fromEntries(Object.entries(DASHBOARDS).map(([name, spec]) => [`${name}.json`, `${JSON.stringify(buildDashboard(spec), null, 2)}\n`]));
}

if (require.main === module) {
  mkdirSync(DASHBOARD_DIR, { recursive: true });
  for (const [file, json] of Object.entries(renderDashboards())) {
    writeFileSync(join(DASHBOARD_DIR, file), json);
    process.stdout.write(`wrote deploy/grafana/dashboards/${file}\n`);
  }
}
