import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Metrics } from '@app/common';
import { OutboxDrainer } from '@app/outbox';
import { HeartbeatService } from '../heartbeat/heartbeat.processor';
import { WORKER_ID } from '../worker-id';

@Controller()
export class WorkerHttpController {
  constructor(
    @Inject(WORKER_ID) private readonly workerId: string,
    @Inject(OutboxDrainer) private readonly drainer: OutboxDrainer,
    @Inject(HeartbeatService) private readonly heartbeat: HeartbeatService,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  /**
   * Liveness: 200 while the outbox drainer runs (503 otherwise). The last heartbeat is reported
   * (with `stale` after three missed beats) but does not fail liveness: it depends on Redis,
   * which a restart would not fix.
   */
  @Get('health')
  async health(@Res({ passthrough: true }) reply: FastifyReply) {
    const heartbeat = await this.heartbeat
      .last()
      .catch((error: Error) => ({ error: error.message }));
    const running = this.drainer.running;
    void reply.status(running ? 200 : 503);
    return {
      status: running ? 'ok' : 'down',
      workerId: this.workerId,
      drainer: { id: this.drainer.id, running },
      heartbeat,
    };
  }

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4')
  scrape(): Promise<string> {
    return this.metrics.scrape();
  }
}
