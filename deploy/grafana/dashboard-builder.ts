/**
 * A small builder for Grafana dashboards (JSON model, schemaVersion 39): panels are laid out left
 * to right in rows of 24 columns, every query goes to the provisioned Prometheus data source.
 */

/** The uid of the data source in provisioning/datasources/vigie.yml. */
export const DATASOURCE = { type: 'prometheus', uid: 'vigie-prometheus' } as const;

export interface Query {
  readonly expr: string;
  readonly legend: string;
}

export interface PanelSpec {
  readonly title: string;
  readonly description: string;
  /** timeseries: over time; bargauge: the latest value of each series (instant), e.g. per country. */
  readonly kind: 'timeseries' | 'stat' | 'bargauge';
  readonly unit: string;
  readonly queries: readonly Query[];
  readonly width?: number;
  /** Bar gauges and stats: values below 1 in red (a silent feed, a service down). */
  readonly redBelowOne?: boolean;
}

export interface RowSpec {
  readonly row: string;
  readonly panels: readonly PanelSpec[];
}

export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly rows: readonly RowSpec[];
}

const HEIGHT = 8;

export function buildDashboard(spec: DashboardSpec): Record<string, unknown> {
  const panels: Record<string, unknown>[] = [];
  let id = 1;
  let y = 0;
  for (const { row, panels: specs } of spec.rows) {
    panels.push({ id: id++, type: 'row', title: row, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] });
    y += 1;
    let x = 0;
    for (const panel of specs) {
      const w = panel.width ?? 12;
      if (x + w > 24) {
        x = 0;
        y += HEIGHT;
      }
      panels.push(buildPanel(panel, id++, { h: HEIGHT, w, x, y }));
      x += w;
    }
    y += HEIGHT;
  }
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ['vigie'],
    timezone: 'utc',
    editable: true,
    graphTooltip: 1,
    refresh: '30s',
    schemaVersion: 39,
    version: 1,
    time: { from: 'now-6h', to: 'now' },
    annotations: { list: [] },
    templating: { list: [] },
    panels,
  };
}

function buildPanel(panel: PanelSpec, id: number, gridPos: Record<string, number>): Record<string, unknown> {
  const instant = panel.kind !== 'timeseries';
  const thresholds = panel.redBelowOne
    ? { mode: 'absolute', steps: [{ color: 'red', value: null }, { color: 'green', value: 1 }] }
    : { mode: 'absolute', steps: [{ color: 'green', value: null }] };
  return {
    id,
    type: panel.kind,
    title: panel.title,
    description: panel.description,
    datasource: DATASOURCE,
    gridPos,
    fieldConfig: { defaults: { unit: panel.unit, thresholds, color: { mode: panel.kind === 'timeseries' ? 'palette-classic' : 'thresholds' } }, overrides: [] },
    options: panelOptions(panel.kind),
    targets: panel.queries.map((query, i) => ({
      refId: String.fromCharCode(65 + i),
      datasource: DATASOURCE,
      expr: query.expr,
      legendFormat: query.legend,
      instant,
      range: !instant,
    })),
  };
}

function panelOptions(kind: PanelSpec['kind']): Record<string, unknown> {
  const reduceOptions = { calcs: ['lastNotNull'], fields: '', values: false };
  switch (kind) {
    case 'timeseries':
      return { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } };
    case 'stat':
      return { reduceOptions, colorMode: 'background', graphMode: 'none', textMode: 'value_and_name' };
    case 'bargauge':
      return { reduceOptions, orientation: 'horizontal', displayMode: 'basic', showUnfilled: true, minVizHeight: 10 };
  }
}

/** Every PromQL expression of a dashboard, with the panel it belongs to (for checks). */
export function dashboardQueries(dashboard: Record<string, unknown>): { panel: string; expr: string }[] {
  return (dashboard['panels'] as { title: string; targets?: { expr: string }[] }[]).flatMap((panel) => (panel.targets ?? []).map((t) => ({ panel: panel.title, expr: t.expr })));
}
