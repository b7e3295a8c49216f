import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length } from 'class-validator';

export class CreateAnnouncementRequestDto {
  @ApiProperty({ minLength: 1, maxLength: 1000, example: 'Size M restocked at 20:30!' })
  @IsString()
  @Length(1, 1000)
  body!: string;

  @ApiPropertyOptional({
    default: true,
    description: 'Pin it (shown on join; replaces the pinned one). false: a one-off push.',
  })
  @IsOptional()
  @IsBoolean()
  pinned?: boolean;
}
