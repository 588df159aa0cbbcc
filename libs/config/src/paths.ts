import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { CrossCheck } from './spec';

/**
 * Reads what a path holds with the service's own reader (feeds, rules, geographic layers) and
 * throws, saying what is wrong, when it cannot use it.
 */
export type PathLoader = (path: string) => unknown;

export type PathKind = 'file' | 'folder';

/**
 * The check of a variable that names a file or a folder: it exists, is of that kind, can be read,
 * and `load` accepts what it holds. It is a check, not a parser, so that loadConfig applies it to
 * the default too: an unusable path is one more configuration problem, reported with the others
 * and the variable's name, rather than a stack trace from deep inside a module at startup.
 */
export function pathCheck(kind: PathKind, load: PathLoader | undefined): CrossCheck<string> {
  return (path) => {
    if (path === undefined) return undefined;
    // A relative path is resolved from the working directory, which the operator may not expect.
    const shown = isAbsolute(path) ? JSON.stringify(path) : `${JSON.stringify(path)} (relative to ${process.cwd()})`;
    try {
      const stats = statSync(path);
      if (kind === 'file' && !stats.isFile()) return `${shown} is not a file`;
      if (kind === 'folder' && !stats.isDirectory()) return `${shown} is not a folder`;
      if (kind === 'file') accessSync(path, constants.R_OK);
      else readdirSync(path);
    } catch (error) {
      return `${shown} ${fileSystemProblem(error)}`;
    }
    if (!load) return undefined;
    try {
      load(path);
      return undefined;
    } catch (error) {
      return `${shown} cannot be used: ${oneLine(error instanceof Error ? error.message : String(error))}`;
    }
  };
}

function fileSystemProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read by this process (permission denied)';
  return `cannot be read: ${oneLine(error instanceof Error ? error.message : String(error))}`;
}

/** A configuration error prints one line per problem. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, '; ');
}
