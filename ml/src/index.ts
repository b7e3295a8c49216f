export * from './backend';
export * from './recsys';
export * from './timing';
