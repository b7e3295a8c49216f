import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type ApiKeyPrincipal,
  ApiKeyAuth,
  CurrentPrincipal,
  ErrorResponseDto,
  MembersService,
  ParseUuidPipe,
  StorefrontMemberResponseDto,
} from '@app/identity';

@ApiTags('storefront')
@ApiKeyAuth()
@Controller('v1/storefront/members')
export class StorefrontMembersController {
  constructor(@Inject(MembersService) private readonly members: MembersService) {}

  @Get(':id')
  @ApiOperation({ summary: 'Member summary for the brand’s storefront (API key)' })
  @ApiOkResponse({ type: StorefrontMemberResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(
    @CurrentPrincipal() storefront: ApiKeyPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<StorefrontMemberResponseDto> {
    return StorefrontMemberResponseDto.from(await this.members.getById(storefront.brandId, id));
  }
}
