import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  Patch,
  Post,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  CurrentPrincipal,
  ErrorResponseDto,
  ParseUuidPipe,
  RequestId,
  StaffAuth,
  type StaffPrincipal,
} from '@app/identity';
import {
  CreateWebhookRequestDto,
  CreatedWebhookResponseDto,
  UpdateWebhookRequestDto,
  WebhookListResponseDto,
  WebhookResponseDto,
  WebhooksService,
} from '@app/loyalty';

@ApiTags('webhooks')
@StaffAuth('owner')
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(@Inject(WebhooksService) private readonly webhooks: WebhooksService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Register a signed webhook endpoint (owner, audited)',
    description:
      'The response carries the signing secret, shown once. Deliveries are POSTs of {id, topic, brandId, createdAt, payload} with headers x-webhook-id (dedupe key), x-webhook-timestamp and x-webhook-signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>; non-2xx answers are retried with backoff and dead-lettered.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  async create(
    @CurrentPrincipal() owner: StaffPrincipal,
    @RequestId() requestId: string,
    @Body() body: CreateWebhookRequestDto,
  ): Promise<CreatedWebhookResponseDto> {
    return CreatedWebhookResponseDto.fromCreated(
      await this.webhooks.create({ brandId: owner.brandId, id: owner.id, requestId }, body),
    );
  }

  @Get()
  @ApiOperation({ summary: 'The brand’s webhooks (secrets are never listed)' })
  @ApiOkResponse({ type: WebhookListResponseDto })
  async list(@CurrentPrincipal() owner: StaffPrincipal): Promise<WebhookListResponseDto> {
    return {
      items: (await this.webhooks.list(owner.brandId)).map((hook) => WebhookResponseDto.from(hook)),
    };
  }

  @Get(':id')
  @ApiOkResponse({ type: WebhookResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(
    @CurrentPrincipal() owner: StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<WebhookResponseDto> {
    return WebhookResponseDto.from(await this.webhooks.get(owner.brandId, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a webhook’s URL, topics or active flag (audited)' })
  @ApiOkResponse({ type: WebhookResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async update(
    @CurrentPrincipal() owner: StaffPrincipal,
    @RequestId() requestId: string,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateWebhookRequestDto,
  ): Promise<WebhookResponseDto> {
    return WebhookResponseDto.from(
      await this.webhooks.update({ brandId: owner.brandId, id: owner.id, requestId }, id, body),
    );
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async remove(
    @CurrentPrincipal() owner: StaffPrincipal,
    @RequestId() requestId: string,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<void> {
    await this.webhooks.remove({ brandId: owner.brandId, id: owner.id, requestId }, id);
  }
}
