export * from './redis-correlation-store';
export { encodeCompactEvent, decodeCompactEvent } from './compact-event';
