import { ErrorResponseDto } from '../dto/error.response.dto';

/**
 * Pieces of an OpenAPI operation for routes registered on Fastify directly (ADRs 0025, 0026),
 * which have no controller decorators for the Swagger module to read. List the models in
 * `createDocument`'s `extraModels` so the `$ref`s resolve.
 */
export const jsonContent = (model: { name: string }) => ({
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${model.name}` } } },
});

/** An error response documented with the standard error body. */
export const errorResponse = (description: string) => ({
  description,
  ...jsonContent(ErrorResponseDto),
});
