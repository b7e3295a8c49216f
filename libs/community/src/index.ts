export * from './community.events';
export * from './communities';
export * from './reviews';
export * from './moderation';
