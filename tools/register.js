// Runs the TypeScript sources directly: tsconfig path aliases (@vigie/*) resolve to libs/*/src,
// and SWC compiles with decorator metadata so NestJS dependency injection works as in production.
process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || require('node:path').join(__dirname, '..', 'tsconfig.json');
require('tsconfig-paths/register');
require('@swc-node/register');
