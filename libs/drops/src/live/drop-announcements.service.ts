import { Inject, Injectable } from '@nestjs/common';
import { type Page } from '@app/common';
import { DatabaseClient } from '@app/db';
import { type StaffPrincipal, decodePosition, keysetPage, pageSize } from '@app/identity';
import { OutboxPublisher } from '@app/outbox';
import { DropLiveRepository } from './drop-live.repository';
import { DROP_EVENTS } from './drop-room.emitter';
import { type AnnouncementView, DropRoomService, toAnnouncementView } from './drop-room.service';
import type { RoomPrincipal } from './room-principal';

/**
 * Host announcements. Stored with an outbox message in the same transaction; the worker's
 * realtime consumer pushes it to `drop:<id>` as `drop.announcement` (durable content, so it takes
 * the outbox like every other side effect; unlike chat, a lost push would be a lost pin).
 */
@Injectable()
export class DropAnnouncementsService {
  constructor(
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(DropLiveRepository) private readonly repo: DropLiveRepository,
    @Inject(DropRoomService) private readonly room: DropRoomService,
    @Inject(OutboxPublisher) private readonly outbox: OutboxPublisher,
  ) {}

  async create(
    staff: StaffPrincipal,
    dropId: string,
    input: { body: string; pinned?: boolean },
  ): Promise<AnnouncementView> {
    const drop = await this.room.visibleDrop(staff, dropId);
    const view = await this.db.transaction(async (tx) => {
      const row = await this.repo.insertAnnouncement(
        drop.brandId,
        {
          dropId: drop.id,
          body: input.body,
          pinned: input.pinned === false ? 0 : 1,
          createdBy: `staff:${staff.id}`,
        },
        tx,
      );
      const announcement = toAnnouncementView(row);
      await this.outbox.publish(tx, drop.brandId, {
        topic: DROP_EVENTS.announcement,
        key: `drop:${drop.id}`,
        payload: { ...announcement },
        headers: { realtime: 'key' },
      });
      return announcement;
    });
    return view;
  }

  async list(
    principal: RoomPrincipal,
    dropId: string,
    query: { limit?: number; cursor?: string },
  ): Promise<Page<AnnouncementView>> {
    const drop = await this.room.visibleDrop(principal, dropId);
    const limit = pageSize(query.limit);
    const after = query.cursor ? decodePosition(query.cursor) : null;
    const page = keysetPage(
      await this.repo.listAnnouncements(drop.brandId, drop.id, limit, after),
      limit,
    );
    return { items: page.items.map((row) => toAnnouncementView(row)), nextCursor: page.nextCursor };
  }
}
