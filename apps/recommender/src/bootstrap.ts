import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '@app/config';
import { Metrics, configureHttpCommon, createFastifyAdapter } from '@app/common';
import { RecommenderModule } from './recommender.module';
import {
  RECOMMENDATIONS_ROUTE_MODELS,
  documentRecommendationsRoute,
  registerRecommendationsRoute,
} from './recommendations/recommendations.route';

/** Builds the recommender exactly as production runs it; e2e tests call this with their own config. */
export async function createRecommenderApp(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    RecommenderModule.forRoot(config),
    createFastifyAdapter(config),
    { bufferLogs: true },
  );
  configureHttpCommon(app, app.get(Metrics));
  registerRecommendationsRoute(app);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Loyalty platform recommender')
      .setDescription(
        'Recommendations and next-purchase predictions served from trained TensorFlow.js model ' +
          'artefacts. Errors are `{ error: { code, message, details? }, requestId }`.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'jwt')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key' }, 'api-key')
      .build(),
    { extraModels: RECOMMENDATIONS_ROUTE_MODELS },
  );
  documentRecommendationsRoute(document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
