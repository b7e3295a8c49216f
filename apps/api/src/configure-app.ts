import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '@app/config';
import { Metrics, configureHttpCommon, useSecurityHeaders } from '@app/common';
import {
  RESERVATION_ROUTE_MODELS,
  documentReservationRoute,
  registerReservationRoute,
} from './drops/reservation.route';
import { RedisIoAdapter } from './realtime/redis-io.adapter';

/** Everything `main.ts` and the e2e tests both need, so tests run the production bootstrap. */
export async function configureApp(
  app: NestFastifyApplication,
  config: AppConfig,
): Promise<INestApplication> {
  configureHttpCommon(app, app.get(Metrics));
  useSecurityHeaders(app, {
    // The Swagger UI at /docs needs inline scripts and styles.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'https:'],
      },
    },
  });
  app.enableCors({
    origin: config.http.corsOrigins.length ? config.http.corsOrigins : false,
    credentials: true,
    exposedHeaders: ['x-request-id'],
  });
  registerReservationRoute(app);
  const ioAdapter = new RedisIoAdapter(app, config);
  await ioAdapter.connect();
  app.useWebSocketAdapter(ioAdapter);

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Loyalty platform API')
      .setDescription(
        'Members (JWT), brand staff (JWT with roles), storefronts (API key) and the platform operator. ' +
          'Errors are `{ error: { code, message, details? }, requestId }`.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'jwt')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key' }, 'api-key')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'x-operator-token' }, 'operator')
      .build(),
    { extraModels: RESERVATION_ROUTE_MODELS },
  );
  documentReservationRoute(document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
