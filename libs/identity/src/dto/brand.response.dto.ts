import { ApiProperty } from '@nestjs/swagger';
import type { BrandWithOwner } from '../brands/brands.service';
import type { Brand } from '../brands/brands.repository';
import { StaffResponseDto } from './staff.response.dto';

export class BrandResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'acme' }) slug!: string;
  @ApiProperty({ example: 'Acme Outdoor' }) name!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static from(brand: Brand): BrandResponseDto {
    return {
      id: brand.id,
      slug: brand.slug,
      name: brand.name,
      createdAt: brand.createdAt.toISOString(),
    };
  }
}

export class CreatedBrandResponseDto {
  @ApiProperty({ type: BrandResponseDto }) brand!: BrandResponseDto;
  @ApiProperty({ type: StaffResponseDto }) owner!: StaffResponseDto;

  static from(created: BrandWithOwner): CreatedBrandResponseDto {
    return {
      brand: BrandResponseDto.from(created.brand),
      owner: StaffResponseDto.from(created.owner),
    };
  }
}
