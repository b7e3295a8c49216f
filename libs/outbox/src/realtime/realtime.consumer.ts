import { Inject, Injectable, Logger } from '@nestjs/common';
import { OutboxHandler } from '../consumer-registry';
import { IdempotentConsumer } from '../idempotent-consumer';
import type { OutboxConsumer, OutboxMessage } from '../outbox.types';
import { realtimeEvent, realtimeRooms } from './realtime-routes';
import { SocketEmitter } from './socket-emitter';

/**
 * Pushes outbox messages to socket.io rooms (see `realtimeRooms` for which ones). Recorded in
 * `processed_messages` after the emit, so a retry caused by another consumer does not push
 * twice; a crash between emit and record can (clients de-duplicate by event `id`).
 */
@OutboxHandler()
@Injectable()
export class RealtimeOutboxConsumer implements OutboxConsumer {
  readonly name = 'realtime';
  readonly topics = '*' as const;
  private readonly logger = new Logger(RealtimeOutboxConsumer.name);

  constructor(
    @Inject(SocketEmitter) private readonly emitter: SocketEmitter,
    @Inject(IdempotentConsumer) private readonly idempotent: IdempotentConsumer,
  ) {}

  async handle(message: OutboxMessage): Promise<void> {
    const { rooms, rejected } = realtimeRooms(message);
    if (rejected.length) {
      this.logger.warn(
        `outbox ${message.topic} ${message.id}: refused rooms ${rejected.join(', ')}`,
      );
    }
    if (!rooms.length) return;
    await this.idempotent.runExternal(this.name, message.id, () =>
      this.emitter.emit(rooms, message.topic, realtimeEvent(message)),
    );
  }
}
