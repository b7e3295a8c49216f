import { Inject, Injectable } from '@nestjs/common';
import { DropStockStore } from '../reservations/drop-stock.store';
import { type AnnouncementRow, DropLiveRepository, type LiveDrop } from './drop-live.repository';
import { DropPresenceService, viewerKey } from './drop-presence.service';
import { DropRoomNotFoundError } from './live.errors';
import type { RoomPrincipal } from './room-principal';

/** The room header: what a client needs to render the drop and run its countdown. */
export interface RoomDropView {
  id: string;
  title: string;
  hostName: string;
  streamUrl: string | null;
  status: LiveDrop['status'];
  /** +1 on every status change; compare with `drop.status_changed`'s version. */
  version: number;
  mode: LiveDrop['mode'];
  earlyAccessAt: string | null;
  startsAt: string;
  endsAt: string;
}

export interface AnnouncementView {
  id: string;
  dropId: string;
  body: string;
  pinned: boolean;
  createdAt: string;
}

/** The `drop:join` acknowledgement. */
export interface JoinedRoom {
  drop: RoomDropView;
  stock: { skuId: string; available: number; version: number }[];
  /** Server clock (ISO) when the ack was built: clients offset their countdown by it. */
  serverTime: string;
  viewers: number;
  pinned: AnnouncementView | null;
}

/** Entering and leaving a drop's live room. */
@Injectable()
export class DropRoomService {
  constructor(
    @Inject(DropLiveRepository) private readonly repo: DropLiveRepository,
    @Inject(DropPresenceService) private readonly presence: DropPresenceService,
    @Inject(DropStockStore) private readonly stock: DropStockStore,
  ) {}

  /**
   * The drop as the caller may see it: its own brand only, and members do not see drafts (both
   * → 404 drops.drop_not_found).
   */
  async visibleDrop(principal: RoomPrincipal, dropId: string): Promise<LiveDrop> {
    const drop = await this.repo.findDrop(principal.brandId, dropId);
    if (!drop || (principal.type === 'member' && drop.status === 'draft'))
      throw new DropRoomNotFoundError();
    return drop;
  }

  /** Checks access, counts the caller in, and builds the join acknowledgement. */
  async join(principal: RoomPrincipal, dropId: string): Promise<JoinedRoom> {
    const drop = await this.visibleDrop(principal, dropId);
    const [stock, pinned] = await Promise.all([
      this.stock.snapshot(drop.brandId, drop.id),
      this.repo.pinnedAnnouncement(drop.brandId, drop.id),
    ]);
    // Counted last: a join that failed above must not leave a viewer behind.
    const viewers = await this.presence.join(drop.brandId, drop.id, viewerKey(principal));
    return {
      drop: toDropView(drop),
      stock: stock.map((s) => ({ skuId: s.skuId, available: s.available, version: s.version })),
      serverTime: new Date().toISOString(),
      viewers,
      pinned: pinned ? toAnnouncementView(pinned) : null,
    };
  }

  leave(principal: RoomPrincipal, dropId: string): Promise<void> {
    return this.presence.leave(dropId, viewerKey(principal));
  }

  /** Display name shown with a member's chat messages. */
  async authorName(principal: RoomPrincipal): Promise<string> {
    if (principal.type !== 'member') return 'Staff';
    return (await this.repo.memberName(principal.brandId, principal.id)) ?? 'Member';
  }
}

export function toDropView(drop: LiveDrop): RoomDropView {
  return {
    id: drop.id,
    title: drop.title,
    hostName: drop.hostName,
    streamUrl: drop.streamUrl,
    status: drop.status,
    version: drop.version,
    mode: drop.mode,
    earlyAccessAt: drop.earlyAccessAt?.toISOString() ?? null,
    startsAt: drop.startsAt.toISOString(),
    endsAt: drop.endsAt.toISOString(),
  };
}

export function toAnnouncementView(row: AnnouncementRow): AnnouncementView {
  return {
    id: row.id,
    dropId: row.dropId,
    body: row.body,
    pinned: row.pinned === 1,
    createdAt: row.createdAt.toISOString(),
  };
}
