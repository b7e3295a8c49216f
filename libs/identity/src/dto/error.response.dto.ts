import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ErrorDetailDto {
  @ApiProperty({ example: 'validation_failed', description: 'Stable machine-readable code' })
  code!: string;

  @ApiProperty({ example: 'Request validation failed' })
  message!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { fields: { email: ['email must be an email'] } },
  })
  details?: Record<string, unknown>;
}

/** The one error body of the API (documentation type; the filter in @app/common writes it). */
export class ErrorResponseDto {
  @ApiProperty({ type: ErrorDetailDto })
  error!: ErrorDetailDto;

  @ApiProperty({ example: '5b0f6c1e-9a51-4a43-a0f3-2b7f3cb3c7de' })
  requestId!: string;
}
