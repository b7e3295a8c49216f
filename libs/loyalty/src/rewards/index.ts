export * from './rewards.module';
