import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
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
  ApiKeyListResponseDto,
  ApiKeyResponseDto,
  ApiKeysService,
  CreateApiKeyRequestDto,
  CreatedApiKeyResponseDto,
  CurrentPrincipal,
  ErrorResponseDto,
  ParseUuidPipe,
  RequestId,
  StaffAuth,
  type StaffPrincipal,
} from '@app/identity';

@ApiTags('api-keys')
@StaffAuth('owner')
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(@Inject(ApiKeysService) private readonly apiKeys: ApiKeysService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Create a storefront API key (owner, audited)',
    description: 'The full key is in this response only.',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  async create(
    @CurrentPrincipal() owner: StaffPrincipal,
    @RequestId() requestId: string,
    @Body() body: CreateApiKeyRequestDto,
  ): Promise<CreatedApiKeyResponseDto> {
    const { apiKey, key } = await this.apiKeys.create(
      { brandId: owner.brandId, id: owner.id, requestId },
      body,
    );
    return CreatedApiKeyResponseDto.withKey(apiKey, key);
  }

  @Get()
  @ApiOperation({ summary: 'List the brand’s API keys (no secrets)' })
  @ApiOkResponse({ type: ApiKeyListResponseDto })
  async list(@CurrentPrincipal() owner: StaffPrincipal): Promise<ApiKeyListResponseDto> {
    return {
      items: (await this.apiKeys.list(owner.brandId)).map((apiKey) =>
        ApiKeyResponseDto.from(apiKey),
      ),
    };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One API key of the brand (no secret)' })
  @ApiOkResponse({ type: ApiKeyResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(
    @CurrentPrincipal() owner: StaffPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<ApiKeyResponseDto> {
    return ApiKeyResponseDto.from(await this.apiKeys.getById(owner.brandId, id));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke an API key (owner, audited, idempotent)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async revoke(
    @CurrentPrincipal() owner: StaffPrincipal,
    @RequestId() requestId: string,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<void> {
    await this.apiKeys.revoke({ brandId: owner.brandId, id: owner.id, requestId }, id);
  }
}
