export * from './group-commit';
export * from './prng';
