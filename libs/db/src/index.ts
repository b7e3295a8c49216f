export * from './database';
export * from './db.module';
export * from './migrate';
export * as schema from './schema';
export * from './schema';
