import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class CreateApiKeyRequestDto {
  @ApiProperty({ maxLength: 100, example: 'Shopify storefront' })
  @IsString()
  @Length(1, 100)
  name!: string;
}
