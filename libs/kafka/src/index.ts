export * from './types';
export * from './connection';
export * from './producer';
export * from './dead-letter';
export * from './retry';
export * from './stage-runner';
export * from './topic-reader';
export * from './topic-admin';
