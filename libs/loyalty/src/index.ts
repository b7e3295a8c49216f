export * from './ledger';
export * from './orders';
export * from './rewards';
export * from './tiers';
