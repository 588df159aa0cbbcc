export { resolveStack } from './stack';
export type { Stack, StackKind } from './stack';
export * from './pipeline-processes';
export * from './redis-keys';
export * from './topic-collector';
export * from './fixtures';
