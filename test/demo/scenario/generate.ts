/**
 * Generates the demo scenario: test/demo/scenario/incidents.ndjson (one report per line, all feeds
 * mixed in the order they sent them) and expected.json (what it contains and should trigger).
 *
 *   node -r ./tools/register.js test/demo/scenario/generate.ts [--seed N] [--base ISO] [--out DIR]
 *
 * Deterministic: the checked-in files are what the defaults produce (a unit test regenerates and
 * compares). The demo replays the file with shiftScenario(lines, Date.now()).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateScenario, type Scenario } from './build-scenario';
import { SCENARIO_BASE, SCENARIO_SEED } from './design';
import { describeScenario } from './describe-scenario';

export { generateScenario } from './build-scenario';
export { describeScenario } from './describe-scenario';
export { SCENARIO_BASE, SCENARIO_SEED } from './design';
export { shiftScenario } from './shift';

export const INCIDENTS_FILE = 'incidents.ndjson';
export const EXPECTED_FILE = 'expected.json';

export function writeScenario(scenario: Scenario, dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, INCIDENTS_FILE), `${scenario.lines.map((l) => l.text).join('\n')}\n`);
  writeFileSync(join(dir, EXPECTED_FILE), `${JSON.stringify(describeScenario(scenario), null, 2)}\n`);
}

export function main(argv: readonly string[]): void {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const seed = Number(arg('seed') ?? SCENARIO_SEED);
  const base = arg('base') ? Date.parse(arg('base') as string) : SCENARIO_BASE;
  if (!Number.isInteger(seed) || Number.isNaN(base)) throw new Error('usage: generate.ts [--seed <integer>] [--base <ISO-8601 UTC>] [--out <dir>]');
  const out = arg('out') ?? __dirname;
  const scenario = generateScenario({ seed, base });
  writeScenario(scenario, out);
  const malformed = scenario.lines.filter((l) => l.kind === 'MALFORMED').length;
  process.stdout.write(`${scenario.lines.length} lines (${malformed} malformed) → ${join(out, INCIDENTS_FILE)}, ${join(out, EXPECTED_FILE)}\n`);
}

if (require.main === module) main(process.argv.slice(2));
