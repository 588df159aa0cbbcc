/**
 * Compiles the services and the libraries they use to plain CommonJS with SWC, for the production
 * image: no TypeScript tool chain at run time, and a start without on-the-fly transpiling. Path
 * aliases (@vigie/*) become relative imports; decorator metadata is kept for NestJS. Tests, the
 * test harness and the CLI are left out. Data read next to the code is copied alongside.
 *
 *   node -r ./tools/register.js deploy/docker/compile.ts <outDir>     (default: dist)
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { transformFileSync, type Options } from '@swc/core';

const ROOT = resolve(__dirname, '../..');
const SOURCE_ROOTS = ['libs', 'services'];
/** Not part of a running service. */
const EXCLUDED = [/\.spec\.ts$/, /^libs\/testing\//, /^services\/cli\//, /\/bench\//, /\/src\/testing\//];
/** Files the code reads from beside itself (libs/geo: SHIPPED_REFERENCE_DIR = <src>/../reference). */
const ASSETS = ['libs/geo/reference'];

const paths = (JSON.parse(readFileSync(join(ROOT, 'tsconfig.base.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } }).compilerOptions.paths;

const swcOptions: Options = {
  swcrc: false,
  sourceMaps: true,
  module: { type: 'commonjs' },
  jsc: {
    target: 'es2023',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    baseUrl: ROOT,
    paths,
    keepClassNames: true,
  },
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sources(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

export function compile(outDir: string): number {
  rmSync(outDir, { recursive: true, force: true });
  const files = SOURCE_ROOTS.flatMap((root) => sources(join(ROOT, root))).filter((file) => !EXCLUDED.some((re) => re.test(relative(ROOT, file))));
  for (const file of files) {
    const target = join(outDir, relative(ROOT, file)).replace(/\.ts$/, '.js');
    const { code, map } = transformFileSync(file, { ...swcOptions, filename: file, sourceFileName: relative(dirname(target), file) });
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, `${code}\n//# sourceMappingURL=${target.split('/').pop()}.map\n`);
    if (map) writeFileSync(`${target}.map`, map);
  }
  for (const asset of ASSETS) cpSync(join(ROOT, asset), join(outDir, asset), { recursive: true });
  return files.length;
}

if (require.main === module) {
  const outDir = resolve(process.argv[2] ?? join(ROOT, 'dist'));
  const count = compile(outDir);
  process.stdout.write(`compiled ${count} files into ${relative(process.cwd(), outDir) || '.'}\n`);
}
