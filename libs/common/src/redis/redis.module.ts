import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { RedisClient, createRedis } from './redis.client';
import { RedisThrottlerStorage } from './redis-throttler.storage';

@Injectable()
class RedisShutdown implements OnApplicationShutdown {
  constructor(@Inject(RedisClient) private readonly redis: RedisClient) {}
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Global()
@Module({
  providers: [
    {
      provide: RedisClient,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => createRedis(config),
    },
    RedisShutdown,
    RedisThrottlerStorage,
  ],
  exports: [RedisClient, RedisThrottlerStorage],
})
export class RedisModule {}
