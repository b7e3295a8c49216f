import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { ParameterObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from '@app/common';
import {
  type AuthPolicy,
  ErrorResponseDto,
  HttpAuthenticator,
  ParseUuidPipe,
  errorResponse,
  jsonContent,
} from '@app/identity';
import {
  RecommendationsQueryDto,
  RecommendationsResponseDto,
  RecommendationsService,
} from '@app/ml';
import { MemoizedQueryPipe } from './memoized-query.pipe';

const PATH = '/v1/members/:id/recommendations';
// Staff tokens are what the api forwards for the console's member lookup (docs/adr/0020).
const STOREFRONTS_AND_STAFF: AuthPolicy = { apiKey: true, staff: ['owner', 'marketer'] };

type Route = { Params: { id: string }; Querystring: unknown };

/**
 * `GET /v1/members/{id}/recommendations`, the route every storefront page view calls, registered
 * on Fastify directly rather than through a Nest controller (ADR 0026, as ADR 0025 did for drop
 * reservations): Nest's router, guard, pipes and filter chain cost more CPU and garbage per
 * request than answering from the member's cached answer. The route keeps what the controllers
 * have — the Fastify hooks (request id, latency metric), the request log, the same authenticator
 * and policy, the DTO's rules through the application's ValidationPipe (memoised per query
 * string), and the exception filter's error body. A guard or interceptor added to the controllers
 * later does not reach it by itself.
 */
export function registerRecommendationsRoute(app: NestFastifyApplication): void {
  const authenticator = app.get(HttpAuthenticator);
  const recommendations = app.get(RecommendationsService);
  const uuid = new ParseUuidPipe();
  const query = new MemoizedQueryPipe(RecommendationsQueryDto);
  const fastify = app.getHttpAdapter().getInstance();

  fastify.route<Route>({
    method: 'GET',
    url: PATH,
    errorHandler: (error, request, reply) => sendError(reply, request, error),
    handler: async (request: FastifyRequest<Route>, reply: FastifyReply) => {
      const caller = await authenticator.authenticate(request, STOREFRONTS_AND_STAFF);
      const memberId = uuid.transform(request.params.id, { type: 'param', data: 'id' });
      const q = await query.transform(request.query, { type: 'query' });
      // The cached answer's JSON bytes (serialised once per answer, not once per request).
      const body = await recommendations.forMemberJson(caller.brandId, memberId, {
        limit: q.limit,
        category: q.category,
        excludePurchased: q.exclude_purchased,
        inStockOnly: q.in_stock_only,
      });
      return reply.header('content-type', 'application/json; charset=utf-8').send(body);
    },
  });
}

/** Models the route's documentation refers to, for `SwaggerModule.createDocument`'s extraModels. */
export const RECOMMENDATIONS_ROUTE_MODELS = [RecommendationsResponseDto, ErrorResponseDto];

const queryParameter = (
  name: string,
  schema: Record<string, unknown>,
  description?: string,
): ParameterObject => ({
  name,
  in: 'query',
  required: false,
  schema,
  ...(description ? { description } : {}),
});

/** Adds the route to the OpenAPI document, as its controller decorators would have. */
export function documentRecommendationsRoute(document: OpenAPIObject): void {
  document.paths['/v1/members/{id}/recommendations'] = {
    get: {
      operationId: 'RecommendationsController_forMember',
      tags: ['recommendations'],
      summary:
        'Ranked products for a member, each with a score and a reason (storefront API key; staff owner/marketer)',
      description:
        'Blend of collaborative filtering (iALS, folded in from the member’s latest purchases), re-buy and ' +
        'recent popularity. Filters apply before the list is cut to `limit`. A member without history gets ' +
        'popular items (`strategy: cold_start`); a brand without a trained model gets popularity and re-buys.',
      security: [{ 'api-key': [] }, { jwt: [] }],
      parameters: [
        { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
        queryParameter('limit', { type: 'integer', minimum: 1, maximum: 100, default: 10 }),
        queryParameter(
          'category',
          { type: 'string', minLength: 1, maxLength: 200 },
          'Only items of this category',
        ),
        queryParameter(
          'in_stock_only',
          { type: 'boolean', default: false },
          'Skip products marked out of stock (attributes.inStock false or stock ≤ 0)',
        ),
        queryParameter(
          'exclude_purchased',
          { type: 'boolean', default: false },
          'Skip products the member already bought (discovery only)',
        ),
      ],
      responses: {
        '200': { description: 'The ranked items', ...jsonContent(RecommendationsResponseDto) },
        '400': errorResponse('Invalid member id or query (`validation_failed`)'),
        '401': errorResponse('Missing, expired or invalid credentials'),
        '403': errorResponse('Neither a storefront API key nor an owner or marketer'),
        '404': errorResponse('Unknown member (or another brand’s)'),
      },
    },
  };
}
