import { Inject, Injectable } from '@nestjs/common';
import { Emitter } from '@socket.io/redis-emitter';
import { AppConfig } from '@app/config';
import { RedisClient, socketIoKey } from '@app/common';

/**
 * Emits to socket.io rooms from a process without a socket.io server: publishes on the Redis
 * channels the api's Redis adapter listens to (same key), and every api process forwards the
 * event to its clients in those rooms. Unlike `Emitter#emit`, `emit` resolves only once Redis
 * accepted the publish, so a failed emit fails the delivery and is retried.
 */
@Injectable()
export class SocketEmitter {
  private readonly key: string;

  constructor(
    @Inject(RedisClient) private readonly redis: RedisClient,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.key = socketIoKey(config);
  }

  async emit(rooms: string[], event: string, data: unknown): Promise<void> {
    await Promise.all(
      this.encode(rooms, event, data).map(({ channel, message }) =>
        this.redis.publish(channel, message),
      ),
    );
  }

  /**
   * The Redis publishes `emit` would make, without making them: for callers that must publish
   * inside a Lua script (atomically with a check, say).
   */
  encode(rooms: string[], event: string, data: unknown): EncodedPublish[] {
    if (!rooms.length) return [];
    const captured: EncodedPublish[] = [];
    const client = {
      publish: (channel: string, message: string | Buffer) => {
        captured.push({ channel, message });
        return Promise.resolve(0);
      },
    };
    new Emitter(client, { key: this.key }).to(rooms).emit(event, data);
    return captured;
  }
}

export interface EncodedPublish {
  channel: string;
  message: string | Buffer;
}
