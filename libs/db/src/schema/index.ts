export * from './identity';
export * from './outbox';
export * from './commerce';
export * from './loyalty';
export * from './community';
export * from './drops';
export * from './ml';
export * from './marketing';
