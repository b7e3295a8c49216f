import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import {
  DatabaseClient,
  type Executor,
  dropAnnouncements,
  dropChatMessages,
  drops,
  members,
} from '@app/db';
import { type CreatedAtPosition, cursorAt, olderThan } from '@app/identity';

/** What the live room needs of a drop (the countdown and the header of the room). */
export type LiveDrop = Pick<
  typeof drops.$inferSelect,
  | 'brandId'
  | 'id'
  | 'title'
  | 'hostName'
  | 'streamUrl'
  | 'status'
  | 'version'
  | 'mode'
  | 'earlyAccessAt'
  | 'startsAt'
  | 'endsAt'
  | 'peakViewers'
  | 'chatMessages'
>;
export type ChatMessageRow = typeof dropChatMessages.$inferSelect;
export type AnnouncementRow = typeof dropAnnouncements.$inferSelect;

/** All SQL of the live room: chat, announcements and the drop's room counters. Scoped by brand. */
@Injectable()
export class DropLiveRepository {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}

  private ex(tx?: Executor): Executor {
    return tx ?? this.client.db;
  }

  async findDrop(brandId: string, dropId: string, tx?: Executor): Promise<LiveDrop | null> {
    const [row] = await this.ex(tx)
      .select({
        brandId: drops.brandId,
        id: drops.id,
        title: drops.title,
        hostName: drops.hostName,
        streamUrl: drops.streamUrl,
        status: drops.status,
        version: drops.version,
        mode: drops.mode,
        earlyAccessAt: drops.earlyAccessAt,
        startsAt: drops.startsAt,
        endsAt: drops.endsAt,
        peakViewers: drops.peakViewers,
        chatMessages: drops.chatMessages,
      })
      .from(drops)
      .where(and(eq(drops.brandId, brandId), eq(drops.id, dropId)));
    return row ?? null;
  }

  /** Raises drops.peak_viewers to `viewers` if higher (never lowers it). */
  async raisePeakViewers(
    brandId: string,
    dropId: string,
    viewers: number,
    tx?: Executor,
  ): Promise<void> {
    await this.ex(tx)
      .update(drops)
      .set({ peakViewers: viewers })
      .where(and(eq(drops.brandId, brandId), eq(drops.id, dropId), lt(drops.peakViewers, viewers)));
  }

  async memberName(brandId: string, memberId: string, tx?: Executor): Promise<string | null> {
    const [row] = await this.ex(tx)
      .select({ firstName: members.firstName, lastName: members.lastName })
      .from(members)
      .where(and(eq(members.brandId, brandId), eq(members.id, memberId)));
    if (!row) return null;
    return [row.firstName, row.lastName?.slice(0, 1)].filter(Boolean).join(' ') || 'Member';
  }

  // ---- chat

  /** Stores a message; a published one also counts in drops.chat_messages (same transaction). */
  async insertChatMessage(
    brandId: string,
    values: Pick<ChatMessageRow, 'dropId' | 'memberId' | 'body' | 'status'>,
    tx: Executor,
  ): Promise<ChatMessageRow> {
    const [row] = await tx
      .insert(dropChatMessages)
      .values({ ...values, brandId })
      .returning();
    if (values.status === 'published') {
      await tx
        .update(drops)
        .set({ chatMessages: sql`${drops.chatMessages} + 1` })
        .where(and(eq(drops.brandId, brandId), eq(drops.id, values.dropId)));
    }
    return row;
  }

  async findChatMessage(
    brandId: string,
    dropId: string,
    id: string,
    tx?: Executor,
  ): Promise<ChatMessageRow | null> {
    const [row] = await this.ex(tx)
      .select()
      .from(dropChatMessages)
      .where(
        and(
          eq(dropChatMessages.brandId, brandId),
          eq(dropChatMessages.dropId, dropId),
          eq(dropChatMessages.id, id),
        ),
      );
    return row ?? null;
  }

  /** Marks a published message deleted; false when it was not published (already deleted). */
  async deleteChatMessage(brandId: string, id: string, tx: Executor): Promise<boolean> {
    const rows = await tx
      .update(dropChatMessages)
      .set({ status: 'deleted', deletedAt: new Date() })
      .where(
        and(
          eq(dropChatMessages.brandId, brandId),
          eq(dropChatMessages.id, id),
          eq(dropChatMessages.status, 'published'),
        ),
      )
      .returning({ id: dropChatMessages.id });
    return rows.length > 0;
  }

  // ---- announcements

  /** Inserts an announcement; a pinned one unpins the drop's others (one pinned at a time). */
  async insertAnnouncement(
    brandId: string,
    values: Pick<AnnouncementRow, 'dropId' | 'body' | 'pinned' | 'createdBy'>,
    tx: Executor,
  ): Promise<AnnouncementRow> {
    if (values.pinned) {
      await tx
        .update(dropAnnouncements)
        .set({ pinned: 0 })
        .where(
          and(
            eq(dropAnnouncements.brandId, brandId),
            eq(dropAnnouncements.dropId, values.dropId),
            eq(dropAnnouncements.pinned, 1),
          ),
        );
    }
    const [row] = await tx
      .insert(dropAnnouncements)
      .values({ ...values, brandId })
      .returning();
    return row;
  }

  async pinnedAnnouncement(
    brandId: string,
    dropId: string,
    tx?: Executor,
  ): Promise<AnnouncementRow | null> {
    const [row] = await this.ex(tx)
      .select()
      .from(dropAnnouncements)
      .where(
        and(
          eq(dropAnnouncements.brandId, brandId),
          eq(dropAnnouncements.dropId, dropId),
          eq(dropAnnouncements.pinned, 1),
        ),
      )
      .orderBy(desc(dropAnnouncements.createdAt))
      .limit(1);
    return row ?? null;
  }

  /** Newest first, keyset on (created_at, id); `limit + 1` rows. */
  listAnnouncements(
    brandId: string,
    dropId: string,
    limit: number,
    after: CreatedAtPosition | null,
    tx?: Executor,
  ): Promise<(AnnouncementRow & { cursorAt: string })[]> {
    return this.ex(tx)
      .select({
        brandId: dropAnnouncements.brandId,
        id: dropAnnouncements.id,
        dropId: dropAnnouncements.dropId,
        body: dropAnnouncements.body,
        pinned: dropAnnouncements.pinned,
        createdBy: dropAnnouncements.createdBy,
        createdAt: dropAnnouncements.createdAt,
        cursorAt: cursorAt(dropAnnouncements.createdAt),
      })
      .from(dropAnnouncements)
      .where(
        and(
          eq(dropAnnouncements.brandId, brandId),
          eq(dropAnnouncements.dropId, dropId),
          after ? olderThan(dropAnnouncements.createdAt, dropAnnouncements.id, after) : undefined,
        ),
      )
      .orderBy(desc(dropAnnouncements.createdAt), desc(dropAnnouncements.id))
      .limit(limit + 1);
  }
}
