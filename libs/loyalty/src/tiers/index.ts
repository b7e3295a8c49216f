export * from './tiers.module';
