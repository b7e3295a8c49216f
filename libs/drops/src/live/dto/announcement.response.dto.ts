import { ApiProperty } from '@nestjs/swagger';
import type { AnnouncementView } from '../drop-room.service';

export class AnnouncementResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) dropId!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ description: 'The one shown on join' }) pinned!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static from(view: AnnouncementView): AnnouncementResponseDto {
    return { ...view };
  }
}

export class AnnouncementPageResponseDto {
  @ApiProperty({ type: [AnnouncementResponseDto] }) items!: AnnouncementResponseDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
