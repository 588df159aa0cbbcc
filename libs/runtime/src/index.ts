export * from './group-commit';
export * from './prng';
export * from './wait-until';
