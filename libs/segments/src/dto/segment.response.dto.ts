import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { MemberSegmentRow, NamedSegment, SegmentMemberRow } from '../segments.repository';

export class SegmentResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) definition!: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'Members matching now (single segment reads only)' })
  size?: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;

  static from(s: NamedSegment & { size?: number }): SegmentResponseDto {
    return {
      id: s.id,
      name: s.name,
      definition: s.definition,
      ...(s.size !== undefined ? { size: s.size } : {}),
      createdAt: s.createdAt.toISOString(),
      updatedAt: s.updatedAt.toISOString(),
    };
  }
}

export class SegmentPageResponseDto {
  @ApiProperty({ type: [SegmentResponseDto] }) items!: SegmentResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class SegmentAttributesDto {
  @ApiProperty() recency!: number;
  @ApiProperty() frequency!: number;
  @ApiProperty() monetary!: number;
  @ApiProperty() lifecycle!: string;
  @ApiProperty() valueTier!: string;
  @ApiProperty() persona!: string;
  @ApiProperty() orders!: number;
  @ApiProperty() revenueMinor!: number;
  @ApiProperty({ type: String, nullable: true }) lastOrderAt!: string | null;
  @ApiProperty() computedAt!: string;

  static from(s: MemberSegmentRow): SegmentAttributesDto {
    return {
      recency: s.recency,
      frequency: s.frequency,
      monetary: s.monetary,
      lifecycle: s.lifecycle,
      valueTier: s.valueTier,
      persona: s.persona,
      orders: s.orders,
      revenueMinor: s.revenueMinor,
      lastOrderAt: s.lastOrderAt?.toISOString() ?? null,
      computedAt: s.computedAt.toISOString(),
    };
  }
}

export class SegmentMemberResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ type: String, nullable: true }) firstName!: string | null;
  @ApiProperty({ type: String, nullable: true }) lifecycle!: string | null;
  @ApiProperty({ type: String, nullable: true }) valueTier!: string | null;
  @ApiProperty({ type: String, nullable: true }) persona!: string | null;
  @ApiProperty({ type: Number, nullable: true }) recency!: number | null;
  @ApiProperty({ type: Number, nullable: true }) frequency!: number | null;
  @ApiProperty({ type: Number, nullable: true }) monetary!: number | null;
  @ApiProperty({ type: Number, nullable: true }) orders!: number | null;
  @ApiProperty({ type: Number, nullable: true }) revenueMinor!: number | null;
  @ApiProperty({ type: String, nullable: true }) lastOrderAt!: string | null;

  static from(m: Omit<SegmentMemberRow, 'cursorAt'>): SegmentMemberResponseDto {
    return {
      id: m.id,
      email: m.email,
      firstName: m.firstName,
      lifecycle: m.lifecycle,
      valueTier: m.valueTier,
      persona: m.persona,
      recency: m.recency,
      frequency: m.frequency,
      monetary: m.monetary,
      orders: m.orders,
      revenueMinor: m.revenueMinor === null ? null : Number(m.revenueMinor),
      lastOrderAt: m.lastOrderAt ? new Date(m.lastOrderAt).toISOString() : null,
    };
  }
}

export class SegmentMemberPageResponseDto {
  @ApiProperty({ type: [SegmentMemberResponseDto] }) items!: SegmentMemberResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class MemberSegmentsResponseDto {
  @ApiProperty({ type: SegmentAttributesDto, nullable: true })
  attributes!: SegmentAttributesDto | null;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'Latest changes: { dimension, from, to, at }',
  })
  history!: Array<{ dimension: string; from: string | null; to: string; at: string }>;
}

export class SegmentSummaryResponseDto {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) lifecycle!: Record<
    string,
    number
  >;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) valueTier!: Record<
    string,
    number
  >;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) persona!: Record<
    string,
    number
  >;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) recency!: Record<
    string,
    number
  >;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) frequency!: Record<
    string,
    number
  >;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) monetary!: Record<
    string,
    number
  >;
}

export class RecomputeResponseDto {
  @ApiProperty() members!: number;
  @ApiProperty({ description: 'Rows written (new or changed)' }) written!: number;
  @ApiProperty({
    description: 'Lifecycle stage changes (each published as member.lifecycle_changed)',
  })
  lifecycleChanges!: number;
}
