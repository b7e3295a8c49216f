import { Body, Controller, Inject, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  AuthThrottle,
  BrandsService,
  CreateBrandRequestDto,
  CreatedBrandResponseDto,
  ErrorResponseDto,
  OperatorAuth,
  RequestId,
} from '@app/identity';

@ApiTags('operator')
@Controller('v1/operator/brands')
export class OperatorBrandsController {
  constructor(@Inject(BrandsService) private readonly brands: BrandsService) {}

  @Post()
  @OperatorAuth()
  @AuthThrottle()
  @ApiOperation({
    summary: 'Create a brand (tenant) with its first owner',
    description: 'Platform operator only.',
  })
  @ApiCreatedResponse({ type: CreatedBrandResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({
    description: 'Slug already taken (`brand_slug_taken`)',
    type: ErrorResponseDto,
  })
  async create(
    @Body() body: CreateBrandRequestDto,
    @RequestId() requestId: string,
  ): Promise<CreatedBrandResponseDto> {
    const created = await this.brands.createBrandWithOwner(
      { slug: body.slug, name: body.name, owner: { ...body.owner } },
      { type: 'operator', requestId },
    );
    return CreatedBrandResponseDto.from(created);
  }
}
