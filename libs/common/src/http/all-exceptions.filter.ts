import { randomUUID } from 'node:crypto';
import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommonErrorCode, DomainError } from '../errors/domain-error';
import { STATUS_BY_KIND } from '../errors/error-status';
import type { ErrorBody } from './error-body';

interface Mapped {
  status: number;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

const CODE_BY_HTTP_STATUS: Record<number, CommonErrorCode> = {
  400: CommonErrorCode.ValidationFailed,
  401: CommonErrorCode.Unauthenticated,
  403: CommonErrorCode.Forbidden,
  404: CommonErrorCode.RouteNotFound,
  405: CommonErrorCode.MethodNotAllowed,
  413: CommonErrorCode.PayloadTooLarge,
  415: CommonErrorCode.UnsupportedMediaType,
  429: CommonErrorCode.RateLimited,
  503: CommonErrorCode.ServiceUnavailable,
};

/** Fastify's own errors (body parsing, limits) carry a `code` like FST_ERR_CTP_BODY_TOO_LARGE. */
function mapFastifyError(error: {
  code?: string;
  statusCode?: number;
  message: string;
}): Mapped | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        code: CommonErrorCode.PayloadTooLarge,
        message: 'Request body is too large',
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        code: CommonErrorCode.UnsupportedMediaType,
        message: 'Unsupported content type',
      };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return {
        status: 400,
        code: CommonErrorCode.MalformedBody,
        message: 'Request body is not valid JSON',
      };
    default:
      break;
  }
  // Fastify's JSON parser raises a SyntaxError with statusCode 400 for malformed JSON.
  if (error.statusCode === 400 && error instanceof SyntaxError) {
    return {
      status: 400,
      code: CommonErrorCode.MalformedBody,
      message: 'Request body is not valid JSON',
    };
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return {
      status: error.statusCode,
      code: CODE_BY_HTTP_STATUS[error.statusCode] ?? CommonErrorCode.ValidationFailed,
      message: error.message,
    };
  }
  return undefined;
}

const FASTIFY_BODY_PARSE_MESSAGE = /^Body (is not valid JSON|cannot be empty when content-type)/;

function mapHttpException(exception: HttpException): Mapped {
  const status = exception.getStatus();
  const response = exception.getResponse();
  // Nest re-wraps Fastify's body-parser errors as a bare HttpException (code lost); their
  // messages are Fastify's stable FST_ERR_CTP_* texts.
  if (status === 400 && FASTIFY_BODY_PARSE_MESSAGE.test(exception.message)) {
    return { status, code: CommonErrorCode.MalformedBody, message: exception.message };
  }
  if (exception instanceof ThrottlerException) {
    return {
      status: 429,
      code: CommonErrorCode.RateLimited,
      message: 'Too many requests, slow down',
    };
  }
  const message =
    typeof response === 'string'
      ? response
      : typeof (response as { message?: unknown }).message === 'string'
        ? (response as { message: string }).message
        : exception.message;
  // Terminus puts the per-dependency results in the response object: keep them as details.
  const details =
    status === 503 && typeof response === 'object' && response !== null && 'details' in response
      ? { checks: response.details }
      : undefined;
  return { status, code: CODE_BY_HTTP_STATUS[status] ?? `http_${status}`, message, details };
}

const defaultLogger = new Logger('ExceptionFilter');

/**
 * Maps every error to `{ error: { code, message, details? }, requestId }`. Domain errors map by
 * kind; unknown errors become a 500 whose id is logged with the stack, never sent to the client.
 * Shared by the exception filter and by routes registered on Fastify directly (ADR 0025).
 */
export function sendError(
  reply: FastifyReply,
  request: FastifyRequest,
  exception: unknown,
  logger: Pick<Logger, 'error'> = defaultLogger,
): void {
  const mapped = mapException(exception, request, logger);
  const body: ErrorBody = {
    error: {
      code: mapped.code,
      message: mapped.message,
      ...(mapped.details ? { details: mapped.details } : {}),
    },
    requestId: String(request.id),
  };
  void reply
    .status(mapped.status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(body);
}

function mapException(
  exception: unknown,
  request: FastifyRequest,
  logger: Pick<Logger, 'error'>,
): Mapped {
  if (exception instanceof DomainError) {
    return {
      status: STATUS_BY_KIND[exception.kind],
      code: exception.code,
      message: exception.message,
      details: exception.details,
    };
  }
  if (exception instanceof HttpException) return mapHttpException(exception);
  if (exception instanceof Error) {
    const fastify = mapFastifyError(exception);
    if (fastify) return fastify;
  }
  const errorId = randomUUID();
  logger.error(
    { err: exception, errorId, requestId: request.id, method: request.method, url: request.url },
    'unhandled error',
  );
  return {
    status: 500,
    code: CommonErrorCode.Internal,
    message: `Internal error (id ${errorId})`,
    details: { errorId },
  };
}

/** The one filter of every HTTP app: see `sendError`. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    sendError(http.getResponse<FastifyReply>(), http.getRequest<FastifyRequest>(), exception);
  }
}
