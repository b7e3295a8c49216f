import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  type HealthIndicatorResult,
  HealthIndicatorService,
} from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { RedisClient } from '@app/common';
import { DatabaseClient } from '@app/db';

@ApiTags('health')
@SkipThrottle()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(RedisClient) private readonly redis: RedisClient,
  ) {}

  @Get('health')
  @ApiOperation({ summary: 'Liveness: the process is up' })
  liveness(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: Postgres and Redis answer' })
  readiness() {
    return this.health.check([
      () => this.check('postgres', () => this.db.ping()),
      () => this.check('redis', () => this.redis.ping()),
    ]);
  }

  private async check(key: string, probe: () => Promise<unknown>): Promise<HealthIndicatorResult> {
    const indicator = this.indicator.check(key);
    try {
      await Promise.race([
        probe(),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('timeout after 2s')), 2000).unref(),
        ),
      ]);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
