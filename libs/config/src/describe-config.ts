import type { ConfigSpec } from './spec';

/** A Markdown table of the variables of `spec`, for a README or `--help`. */
export function describeConfig(spec: ConfigSpec): string {
  const rows = Object.entries(spec).map(([variable, entry]) => {
    const fallback = entry.required
      ? '(required)'
      : entry.defaultValue === undefined
        ? '(optional)'
        : entry.secret
          ? '(set)'
          : `\`${entry.format(entry.defaultValue)}\``;
    return [`\`${variable}\``, entry.type, fallback, entry.description, `\`${entry.example}\``];
  });
  const header = ['Variable', 'Accepts', 'Default', 'Description', 'Example'];
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.map(escapeCell).join(' | ')} |`).join('\n');
}

const escapeCell = (cell: string): string => cell.replace(/\|/g, '\\|').replace(/\n/g, ' ');
