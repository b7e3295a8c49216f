import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { RedisClient } from '@app/common';

/** What changed: a brand's active model, or one member's folded-in vector. */
export type RecsysEvent =
  | { type: 'model'; brandId: string; versionId: string }
  | { type: 'member'; brandId: string; memberId: string };

/**
 * Redis pub/sub between the worker (training, fold-in) and the recommender processes, so a new
 * model or a member's new purchase shows up in every recommender within milliseconds. Losing a
 * message is harmless: the recommender also re-checks the active version and member state on TTLs.
 */
@Injectable()
export class RecsysEvents implements OnModuleDestroy {
  private readonly logger = new Logger(RecsysEvents.name);
  private subscriber?: RedisClient;
  readonly channel: string;

  constructor(
    @Inject(RedisClient) private readonly redis: RedisClient,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.channel = `${config.redis.prefix}:recsys:events`;
  }

  async publish(event: RecsysEvent): Promise<void> {
    try {
      await this.redis.publish(this.channel, JSON.stringify(event));
    } catch (error) {
      this.logger.warn(`could not publish ${event.type} event: ${(error as Error).message}`);
    }
  }

  async subscribe(handler: (event: RecsysEvent) => void): Promise<void> {
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('message', (_channel: string, text: string) => {
      try {
        handler(JSON.parse(text) as RecsysEvent);
      } catch (error) {
        this.logger.warn(`bad recsys event: ${(error as Error).message}`);
      }
    });
    await this.subscriber.subscribe(this.channel);
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }
}
