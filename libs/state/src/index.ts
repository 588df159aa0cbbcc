export * from './redis-connection';
export * from './redis-round-trips';
export * from './position-claims';
export * from './report-dedup-store';
export * from './delivery';
export * from './correlation';
export * from './incident-zone-memory';
