import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from '@app/common';
import {
  CreateReservationRequestDto,
  parseCreateReservationRequest,
  ReservationResponseDto,
  ReservationsService,
} from '@app/drops';
import {
  ErrorResponseDto,
  HttpAuthenticator,
  ParseUuidPipe,
  errorResponse,
  jsonContent,
} from '@app/identity';

const PATH = '/v1/drops/:id/reservations';
const MEMBERS_ONLY = { member: true } as const;

/**
 * `POST /v1/drops/{id}/reservations`, the one route a drop's crowd hammers, registered on Fastify
 * directly instead of through a Nest controller (ADR 0025): Nest's router, guard, pipe and filter
 * chain cost about as much CPU as the whole reservation. The route keeps everything else the
 * controllers have — the Fastify hooks (request id, security headers, CORS, metrics), request
 * logging, the same authenticator and policy as @MemberAuth, the DTO's rules, and the error body
 * of the exception filter. It skips the global throttler on purpose: the reservation script
 * counts attempts per member and per IP itself.
 */
export function registerReservationRoute(app: NestFastifyApplication): void {
  const authenticator = app.get(HttpAuthenticator);
  const reservations = app.get(ReservationsService);
  const uuid = new ParseUuidPipe();
  const fastify = app.getHttpAdapter().getInstance();

  fastify.route<{ Params: { id: string } }>({
    method: 'POST',
    url: PATH,
    errorHandler: (error, request, reply) => sendError(reply, request, error),
    handler: async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
      const member = await authenticator.authenticate(request, MEMBERS_ONLY);
      const dropId = uuid.transform(request.params.id, { type: 'param', data: 'id' });
      const body = parseCreateReservationRequest(request.body);
      const result = await reservations.reserve(member.brandId, member.id, dropId, {
        ...body,
        clientIp: request.ip,
      });
      return reply
        .status(result.duplicate ? 200 : 201)
        .send(ReservationResponseDto.from(result.reservation));
    },
  });
}

/** Models the route's documentation refers to, for `SwaggerModule.createDocument`'s extraModels. */
export const RESERVATION_ROUTE_MODELS = [
  CreateReservationRequestDto,
  ReservationResponseDto,
  ErrorResponseDto,
];

/** Adds the route to the OpenAPI document, as its controller decorators would have. */
export function documentReservationRoute(document: OpenAPIObject): void {
  document.paths['/v1/drops/{id}/reservations'] = {
    post: {
      operationId: 'ReservationsController_reserve',
      tags: ['drops'],
      summary: 'Reserve units of a SKU (member): a hold that lapses after the drop’s holdSeconds',
      description:
        'Atomic in Redis (drop state, tier window, per-member limit across holds and orders, one active hold per SKU, stock), recorded in Postgres. A retry with the same idempotencyKey returns the same reservation (200); the same key with another body is 409 `drops.idempotency_conflict`. 409 `drops.not_on_sale`, `drops.sold_out`, `drops.member_limit_reached`, `drops.active_hold_exists`, `drops.raffle_mode`; 403 `drops.early_access_tier_required`; 404 `drops.sku_not_found`; 429 `drops.reservation_rate_limited` (per member and per IP).',
      security: [{ jwt: [] }],
      parameters: [
        { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
      ],
      requestBody: { required: true, ...jsonContent(CreateReservationRequestDto) },
      responses: {
        '201': { description: 'The hold', ...jsonContent(ReservationResponseDto) },
        '200': {
          description: 'A retry: the original reservation',
          ...jsonContent(ReservationResponseDto),
        },
        '400': errorResponse('Invalid drop id or body (`validation_failed`)'),
        '401': errorResponse('Missing, expired or invalid credentials'),
        '403': errorResponse('Not a member, or below the early-access tiers'),
        '404': errorResponse('Unknown drop or SKU'),
        '409': errorResponse(
          'Refused: not on sale, sold out, limit reached, active hold, raffle mode',
        ),
        '429': errorResponse('Too many attempts (`drops.reservation_rate_limited`)'),
      },
    },
  };
}
