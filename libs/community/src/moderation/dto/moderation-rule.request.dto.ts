import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { MAX_REGEX_LENGTH } from '../rule-matching';

const MATCHES = ['keyword', 'regex'] as const;
const ACTIONS = ['block', 'hold', 'flag'] as const;

export class CreateModerationRuleRequestDto {
  @ApiProperty({ example: 'Competitor links', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({
    enum: MATCHES,
    description:
      'keyword: case-insensitive, on word boundaries (substring in CJK/Thai text). regex: ' +
      'JavaScript syntax, case-insensitive, no nested quantifiers or back-references.',
  })
  @IsIn(MATCHES)
  match!: (typeof MATCHES)[number];

  @ApiProperty({ example: 'cheap-pills', maxLength: MAX_REGEX_LENGTH })
  @IsString()
  @Length(1, MAX_REGEX_LENGTH)
  pattern!: string;

  @ApiProperty({
    enum: ACTIONS,
    description: 'block: refused; hold: waits for approval; flag: published and queued',
  })
  @IsIn(ACTIONS)
  action!: (typeof ACTIONS)[number];

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UpdateModerationRuleRequestDto extends PartialType(CreateModerationRuleRequestDto) {}
