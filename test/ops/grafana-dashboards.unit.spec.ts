import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_DIR, DASHBOARDS, renderDashboards } from '../../deploy/grafana/dashboards';
import { buildDashboard, DATASOURCE } from '../../deploy/grafana/dashboard-builder';
import { ROOT } from './prometheus-server';

describe('Grafana dashboards', () => {
  it('are committed as generated (run `npm run dashboards` after changing deploy/grafana/dashboards.ts)', () => {
    for (const [file, json] of Object.entries(renderDashboards())) expect(readFileSync(join(DASHBOARD_DIR, file), 'utf8'), file).toBe(json);
  });

  it('query the provisioned data source, with unique uids, panel ids and non-overlapping panels', () => {
    const provisioned = parse(readFileSync(join(ROOT, 'deploy/grafana/provisioning/datasources/vigie.yml'), 'utf8')) as { datasources: { uid: string; type: string }[] };
    expect(provisioned.datasources.map((d) => ({ uid: d.uid, type: d.type }))).toEqual([DATASOURCE]);
    const uids = Object.values(DASHBOARDS).map((d) => d.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const spec of Object.values(DASHBOARDS)) {
      const panels = buildDashboard(spec)['panels'] as { id: number; type: string; datasource?: unknown; gridPos: { x: number; y: number; w: number; h: number }; targets?: unknown[] }[];
      expect(new Set(panels.map((p) => p.id)).size, spec.uid).toBe(panels.length);
      for (const panel of panels.filter((p) => p.type !== 'row')) {
        expect(panel.datasource).toEqual(DATASOURCE);
        expect(panel.targets?.length).toBeGreaterThan(0);
        expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
      }
      const cells = new Set<string>();
      for (const { gridPos: g } of panels) {
        for (let x = g.x; x < g.x + g.w; x++) for (let y = g.y; y < g.y + g.h; y++) {
          expect(cells.has(`${x},${y}`), `${spec.uid}: overlap at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });
});
