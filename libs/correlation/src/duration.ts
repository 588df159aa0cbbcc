import { VigieError } from '@vigie/contracts';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(\d+)\s*(m|h|d)$/;

/** Reads a configuration duration such as "90m", "72h" or "7d"; `path` names the field in errors. */
export function parseDuration(value: unknown, path: string, code = 'CONFIG_INVALID'): number {
  const match = typeof value === 'string' ? DURATION.exec(value.trim()) : null;
  const amount = match ? Number(match[1]) : 0;
  if (!match || amount <= 0) {
    throw new VigieError(code, `${path}: expected a positive duration such as "90m", "72h" or "7d" (got ${JSON.stringify(value)})`, false);
  }
  return amount * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** "72 h", "90 min", the way analysts read a window; whole hours whenever possible. */
export function formatDuration(ms: number): string {
  if (ms % UNIT_MS.h === 0) return `${ms / UNIT_MS.h} h`;
  return `${Math.round(ms / UNIT_MS.m)} min`;
}
