/**
 * `npm test`: unit tests, then integration and end-to-end tests on the real stack (the vitest
 * global setup starts it when needed), and one closing line `vitest: N passed, N failed` that CI
 * systems can read. Extra arguments go to vitest (e.g. `npm test -- --project unit`).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..');
const report = join(root, 'tmp', 'vitest-report.json');
mkdirSync(join(root, 'tmp'), { recursive: true });
rmSync(report, { force: true });

const run = spawnSync(
  process.execPath,
  [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NX_NO_CLOUD: 'true' } },
);

let summary = '';
try {
  const results = JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number };
  summary = `vitest: ${results.numPassedTests} passed, ${results.numFailedTests} failed` + (results.numPendingTests ? `, ${results.numPendingTests} skipped` : '');
} catch {
  summary = 'vitest: no report was written';
}
process.stdout.write(`\n${summary}\n`);
process.exit(run.status ?? 1);
