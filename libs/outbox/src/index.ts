export * from './outbox.module';
export * from './outbox.publisher';
