export * from './redis-delivery-ledger';
