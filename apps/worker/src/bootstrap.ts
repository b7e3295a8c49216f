import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '@app/config';
import { Metrics, configureHttpCommon, createFastifyAdapter } from '@app/common';
import { WorkerModule } from './worker.module';

/**
 * Builds the worker exactly as production runs it (tests call this with their own config):
 * bull processors, the outbox drainer and a small HTTP server for /health and /metrics.
 * The drainer and the heartbeat schedule start on `init()`/`listen()`.
 */
export async function createWorkerApp(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    WorkerModule.forRoot(config),
    createFastifyAdapter(config),
    { bufferLogs: true },
  );
  configureHttpCommon(app, app.get(Metrics));
  return app;
}
