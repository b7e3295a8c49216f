import { ApiProperty } from '@nestjs/swagger';
import type { BrandWebhook } from '../webhooks/webhooks.repository';

export class WebhookResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ type: [String] }) topics!: string[];
  @ApiProperty() active!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static from(hook: BrandWebhook): WebhookResponseDto {
    return {
      id: hook.id,
      url: hook.url,
      topics: hook.topics,
      active: hook.active,
      createdAt: hook.createdAt.toISOString(),
    };
  }
}

/** Only the create response carries the signing secret; it is never shown again. */
export class CreatedWebhookResponseDto extends WebhookResponseDto {
  @ApiProperty({ description: 'HMAC-SHA256 signing secret, shown once' }) secret!: string;

  static fromCreated(hook: BrandWebhook): CreatedWebhookResponseDto {
    return { ...WebhookResponseDto.from(hook), secret: hook.secret };
  }
}

export class WebhookListResponseDto {
  @ApiProperty({ type: [WebhookResponseDto] }) items!: WebhookResponseDto[];
}
