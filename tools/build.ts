/**
 * `npm run build`: compiles libs/ and services/ to CommonJS in dist/ with SWC (decorator metadata
 * kept, @vigie/* aliases rewritten to relative paths), so production processes start without a
 * TypeScript compiler in memory: `node dist/services/<name>/src/main.js`. Reference data the code
 * reads next to itself (geo layers) is copied beside the output.
 */
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { transformFileSync } from '@swc/core';

const root = resolve(__dirname, '..');
const out = join(root, 'dist');
const paths = (JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } }).compilerOptions.paths;
const SKIP = /\.(unit|int|e2e)\.spec\.ts$|\/testing\/|\/bench\//;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') && !SKIP.test(path) ? [path] : [];
  });
}

/** `@vigie/contracts` → a relative require of its compiled index, from the importing file. */
function rewriteAliases(code: string, file: string): string {
  return code.replace(/require\("(@vigie\/[a-z-]+)"\)/g, (match, alias: string) => {
    const target = paths[alias]?.[0];
    if (!target) return match;
    let rel = relative(dirname(file), join(root, target.replace(/\.ts$/, '')));
    if (!rel.startsWith('.')) rel = `./${rel}`;
    return `require(${JSON.stringify(rel)})`;
  });
}

rmSync(out, { recursive: true, force: true });
const files = ['libs', 'services'].flatMap((top) => readdirSync(join(root, top)).flatMap((p) => {
  const src = join(root, top, p, 'src');
  try { return sources(src); } catch { return []; }
}));
for (const file of files) {
  const { code, map } = transformFileSync(file, {
    sourceMaps: true,
    module: { type: 'commonjs' },
    jsc: {
      target: 'es2023',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
    },
  });
  const target = join(out, relative(root, file)).replace(/\.ts$/, '.js');
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, `${rewriteAliases(code, file)}\n//# sourceMappingURL=${target.split('/').pop()}.map\n`);
  if (map) writeFileSync(`${target}.map`, map);
}
cpSync(join(root, 'libs/geo/reference'), join(out, 'libs/geo/reference'), { recursive: true });
process.stdout.write(`built ${files.length} files into ${relative(root, out)}/\n`);
