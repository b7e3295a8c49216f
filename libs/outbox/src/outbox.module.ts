import { type DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { OutboxConsumerRegistry } from './consumer-registry';
import { IdempotentConsumer } from './idempotent-consumer';
import { OUTBOX_DRAINER_OPTIONS, OutboxDrainer, type OutboxDrainerOptions } from './outbox.drainer';
import { OutboxMetrics } from './outbox.metrics';
import { OutboxPublisher } from './outbox.publisher';
import { OutboxRepository } from './outbox.repository';
import { OutboxRetention } from './outbox.retention';
import { RealtimeOutboxConsumer } from './realtime/realtime.consumer';
import { SocketEmitter } from './realtime/socket-emitter';

const shared = [
  OutboxPublisher,
  OutboxRepository,
  OutboxConsumerRegistry,
  IdempotentConsumer,
  OutboxMetrics,
];

/**
 * Publishing side (every app) plus what consumers need: the registry that discovers
 * `@OutboxHandler()` providers and `IdempotentConsumer`. Needs DbModule and ConfigModule.
 */
@Global()
@Module({ imports: [DiscoveryModule], providers: shared, exports: shared })
export class OutboxModule {}

/** The polling drainer and the retention of delivered messages (worker only); the drainer starts on application bootstrap unless `autoStart: false`. */
@Module({})
export class OutboxDrainerModule {
  static forRoot(options: OutboxDrainerOptions = {}): DynamicModule {
    return {
      module: OutboxDrainerModule,
      providers: [
        { provide: OUTBOX_DRAINER_OPTIONS, useValue: options },
        OutboxDrainer,
        OutboxRetention,
      ],
      exports: [OutboxDrainer, OutboxRetention],
    };
  }
}

/** The `realtime` consumer: outbox messages → socket.io rooms through Redis. Needs RedisModule. */
@Module({ providers: [SocketEmitter, RealtimeOutboxConsumer], exports: [SocketEmitter] })
export class OutboxRealtimeModule {}
