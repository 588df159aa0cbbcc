import { readFileSync } from 'node:fs';
import { parseRules, type Rule } from '@vigie/correlation';
import { parse as parseYaml } from 'yaml';

/** Reads the rules file operators edit: JSON, or YAML when it is named *.yaml / *.yml. */
export function readRulesFile(path: string): Rule[] {
  const text = readFileSync(path, 'utf8');
  return parseRules(/\.ya?ml$/i.test(path) ? parseYaml(text) : text);
}
