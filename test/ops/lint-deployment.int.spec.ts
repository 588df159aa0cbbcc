/**
 * Linters of the deployment files that run as programs: hadolint on the Dockerfile (installed from
 * PyPI by ensure-hadolint.sh) and dclint on the compose file (an npm dev dependency). Schema
 * validation of the compose file and the Kubernetes manifests is in deployment-manifests.unit.spec.ts.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from './prometheus-server';

const hadolint = spawnSync('bash', [join(__dirname, 'ensure-hadolint.sh')], { encoding: 'utf8', timeout: 5 * 60_000 });
if (hadolint.status !== 0) console.warn(`[test/ops] hadolint SKIPPED: ${hadolint.stderr.trim() || `exit ${hadolint.status}`}`);

describe('deployment linters', () => {
  it.skipIf(hadolint.status !== 0)('hadolint finds nothing in the Dockerfile', () => {
    const result = spawnSync(hadolint.stdout.trim(), ['--no-color', 'Dockerfile'], { cwd: ROOT, encoding: 'utf8' });
    expect(`${result.stdout}${result.stderr}`).toBe('');
    expect(result.status).toBe(0);
  });

  it('dclint finds no error in the compose file (its style warnings are not enforced)', () => {
    // CI=true makes dclint colour its report: compare the text without the escape codes.
    const result = spawnSync(process.execPath, [join(ROOT, 'node_modules/dclint/bin/dclint.cjs'), 'deploy/compose/docker-compose.yml'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    expect(stripVTControlCharacters(result.stdout + result.stderr)).toMatch(/\b0 errors\b/);
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });
});
