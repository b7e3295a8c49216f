import { ApiProperty } from '@nestjs/swagger';
import type { ApiKey } from '../api-keys/api-keys.repository';

/** A key as listed: the public prefix only, never the secret nor its hash. */
export class ApiKeyResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({
    description: 'Public part of the key (`lk_<prefix>_…`)',
    example: '3f9a1c0e7b2d4a65',
  })
  prefix!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) createdBy!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date-time',
    description: 'Updated at most once a minute',
  })
  lastUsedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) revokedAt!: string | null;

  static from(apiKey: ApiKey): ApiKeyResponseDto {
    return {
      id: apiKey.id,
      name: apiKey.name,
      prefix: apiKey.prefix,
      createdBy: apiKey.createdBy,
      createdAt: apiKey.createdAt.toISOString(),
      lastUsedAt: apiKey.lastUsedAt?.toISOString() ?? null,
      revokedAt: apiKey.revokedAt?.toISOString() ?? null,
    };
  }
}

export class CreatedApiKeyResponseDto extends ApiKeyResponseDto {
  @ApiProperty({
    description: 'The full key. Shown once: store it now, it cannot be retrieved again.',
    example: 'lk_3f9a1c0e7b2d4a65_…',
  })
  key!: string;

  static withKey(apiKey: ApiKey, key: string): CreatedApiKeyResponseDto {
    return { ...ApiKeyResponseDto.from(apiKey), key };
  }
}

export class ApiKeyListResponseDto {
  @ApiProperty({ type: [ApiKeyResponseDto] }) items!: ApiKeyResponseDto[];
}
