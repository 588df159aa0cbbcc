// Runs the TypeScript sources directly: tsconfig path aliases (@vigie/*) resolve to libs/*/src,
// and SWC compiles with decorator metadata so NestJS dependency injection works as in production.
const path = require('node:path');
const root = path.join(__dirname, '..');
process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || path.join(root, 'tsconfig.json');
// Explicit options: the bare `tsconfig-paths/register` would read --project from the command line.
require('tsconfig-paths').register({ cwd: root, baseUrl: root, paths: require(path.join(root, 'tsconfig.base.json')).compilerOptions.paths });
require('@swc-node/register');
