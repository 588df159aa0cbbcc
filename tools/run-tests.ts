/**
 * `npm test`: static checks (type check, lint with module boundaries), then unit tests, then
 * integration and end-to-end tests on the real stack (the vitest global setup starts it when
 * needed), and one closing line `vitest: N passed, N failed` that CI systems can read.
 * Extra arguments go to vitest (e.g. `npm test -- --project unit`); VIGIE_SKIP_STATIC=1 skips the
 * static checks.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..');
const report = join(root, 'tmp', 'vitest-report.json');
mkdirSync(join(root, 'tmp'), { recursive: true });
rmSync(report, { force: true });

if (process.env.VIGIE_SKIP_STATIC !== '1') {
  for (const script of ['typecheck', 'lint']) {
    process.stdout.write(`::: npm run ${script}\n`);
    const check = spawnSync('npm', ['run', '-s', script], { cwd: root, stdio: 'inherit', env: process.env });
    if (check.status !== 0) {
      process.stdout.write(`\nnpm run ${script} failed: fix it before the tests run\n`);
      process.exit(check.status ?? 1);
    }
  }
}

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
