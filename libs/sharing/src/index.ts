export * from './agency-directory';
export * from './subscription-matching';
export * from './sharing-policy';
export * from './redaction';
export * from './delivery-ledger';
export * from './sample-data';
