import { Inject, Injectable } from '@nestjs/common';
import { rooms } from '@app/common';
import { type EncodedPublish, SocketEmitter } from '@app/outbox';

/** Server → client events of the live room (room `drop:<id>`). */
export const DROP_EVENTS = {
  stock: 'drop.stock',
  viewers: 'drop.viewers',
  chat: 'drop.chat',
  chatDeleted: 'drop.chat_deleted',
  muted: 'drop.muted',
  announcement: 'drop.announcement',
} as const;

/**
 * Pushes live-room events through the socket.io Redis emitter: every api process's Redis adapter
 * forwards them to its own sockets in the room, so it does not matter which process (api or
 * worker) noticed the change.
 */
@Injectable()
export class DropRoomEmitter {
  constructor(@Inject(SocketEmitter) private readonly emitter: SocketEmitter) {}

  toRoom(dropId: string, event: string, data: unknown): Promise<void> {
    return this.emitter.emit([rooms.drop(dropId)], event, data);
  }

  /** The publish `toRoom` would make, for a caller that publishes it atomically with a check. */
  encodeToRoom(dropId: string, event: string, data: unknown): EncodedPublish {
    const [publish] = this.emitter.encode([rooms.drop(dropId)], event, data);
    return publish;
  }

  toMember(memberId: string, event: string, data: unknown): Promise<void> {
    return this.emitter.emit([rooms.member(memberId)], event, data);
  }
}
