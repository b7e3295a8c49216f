import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '@app/config';
import { AppModule } from './app.module';
import { createFastifyAdapter } from '@app/common';
import { configureApp } from './configure-app';

/** Builds the api exactly as production runs it; e2e tests call this with their own config. */
export async function createApiApp(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    createFastifyAdapter(config),
    {
      bufferLogs: true,
      // Signed storefront requests (ADR 0008) are verified over the exact bytes received.
      rawBody: true,
    },
  );
  await configureApp(app, config);
  return app;
}
