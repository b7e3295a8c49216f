import { Inject, Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayDisconnect,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { isUUID } from 'class-validator';
import type { DefaultEventsMap, Socket } from 'socket.io';
import { DomainError, ValidationError, rooms } from '@app/common';
import {
  DropChatService,
  DropRoomService,
  type JoinedRoom,
  MAX_CHAT_LENGTH,
  MAX_MUTE_MINUTES,
  NotInRoomError,
  type SendChatResult,
} from '@app/drops';
import { AuthenticationRequiredError, type TokenSubject } from '@app/identity';

/** Client → server events of the live room; every one takes `{ dropId, … }` and an ack. */
export const DROP_ROOM_EVENTS = {
  join: 'drop:join',
  leave: 'drop:leave',
  chat: 'drop:chat',
  deleteMessage: 'drop:chat:delete',
  mute: 'drop:mute',
  time: 'drop:time',
} as const;

/** Ack of every live-room request: `ok` plus the result, or a domain error code. */
export type DropAck<T extends object = object> =
  ({ ok: true } & T) | { ok: false; error: { code: string; message: string; details?: unknown } };

interface DropSocketData {
  /** Set by RealtimeGateway's handshake middleware. */
  principal?: TokenSubject;
  /** Drop rooms this socket joined → the author name its chat messages carry. */
  dropRooms?: Map<string, string>;
}

type DropSocket = Socket<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, DropSocketData>;

/**
 * The live room of a drop over socket.io (room `drop:<id>`, ADR 0015). Authentication happens in
 * RealtimeGateway's middleware on the same server; this gateway only adds the drop events. Pushes
 * (stock, viewers, chat, announcements, status changes) reach the room from the services through
 * the Redis emitter, so every api process's sockets get them.
 */
@WebSocketGateway()
export class DropRoomGateway implements OnGatewayDisconnect<DropSocket> {
  private readonly logger = new Logger(DropRoomGateway.name);

  constructor(
    @Inject(DropRoomService) private readonly room: DropRoomService,
    @Inject(DropChatService) private readonly chat: DropChatService,
  ) {}

  @SubscribeMessage(DROP_ROOM_EVENTS.join)
  join(@ConnectedSocket() socket: DropSocket, @MessageBody() body: unknown) {
    return this.answer(async (): Promise<JoinedRoom> => {
      const principal = this.principalOf(socket);
      const dropId = uuidOf(body, 'dropId');
      const joined = socket.data.dropRooms ?? new Map<string, string>();
      socket.data.dropRooms = joined;
      // A second join of the same socket refreshes the ack without counting it twice.
      if (joined.has(dropId)) await this.room.leave(principal, dropId);
      const ack = await this.room.join(principal, dropId);
      joined.set(dropId, await this.room.authorName(principal));
      await socket.join(rooms.drop(dropId));
      // Disconnected while joining: handleDisconnect ran before the room was recorded.
      if (!socket.connected && joined.delete(dropId)) await this.room.leave(principal, dropId);
      return ack;
    });
  }

  @SubscribeMessage(DROP_ROOM_EVENTS.leave)
  leave(@ConnectedSocket() socket: DropSocket, @MessageBody() body: unknown) {
    return this.answer(async () => {
      const principal = this.principalOf(socket);
      const dropId = uuidOf(body, 'dropId');
      await socket.leave(rooms.drop(dropId));
      if (socket.data.dropRooms?.delete(dropId)) await this.room.leave(principal, dropId);
      return {};
    });
  }

  @SubscribeMessage(DROP_ROOM_EVENTS.chat)
  send(@ConnectedSocket() socket: DropSocket, @MessageBody() body: unknown) {
    return this.answer(async (): Promise<SendChatResult> => {
      const principal = this.principalOf(socket);
      const dropId = uuidOf(body, 'dropId');
      const text = textOf(body, 'body', MAX_CHAT_LENGTH);
      const author = socket.data.dropRooms?.get(dropId);
      if (author === undefined) throw new NotInRoomError();
      return this.chat.send(principal, dropId, author, text);
    });
  }

  @SubscribeMessage(DROP_ROOM_EVENTS.deleteMessage)
  deleteMessage(@ConnectedSocket() socket: DropSocket, @MessageBody() body: unknown) {
    return this.answer(async () => {
      const principal = this.principalOf(socket);
      await this.chat.delete(principal, uuidOf(body, 'dropId'), uuidOf(body, 'messageId'));
      return {};
    });
  }

  @SubscribeMessage(DROP_ROOM_EVENTS.mute)
  mute(@ConnectedSocket() socket: DropSocket, @MessageBody() body: unknown) {
    return this.answer(async () => {
      const principal = this.principalOf(socket);
      const fields = (body ?? {}) as Record<string, unknown>;
      const minutes = fields.minutes;
      if (
        typeof minutes !== 'number' ||
        !Number.isInteger(minutes) ||
        minutes < 1 ||
        minutes > MAX_MUTE_MINUTES
      )
        throw invalid('minutes', `must be an integer from 1 to ${MAX_MUTE_MINUTES}`);
      const { until } = await this.chat.mute(principal, uuidOf(body, 'dropId'), {
        memberId: uuidOf(body, 'memberId'),
        minutes,
        messageId: fields.messageId === undefined ? undefined : uuidOf(body, 'messageId'),
        reason: fields.reason === undefined ? undefined : textOf(body, 'reason', 500),
      });
      return { until: until.toISOString() };
    });
  }

  /** Clock sync: clients measure the round trip and offset their countdown by serverTime. */
  @SubscribeMessage(DROP_ROOM_EVENTS.time)
  time(): DropAck<{ serverTime: string }> {
    return { ok: true, serverTime: new Date().toISOString() };
  }

  async handleDisconnect(socket: DropSocket): Promise<void> {
    const principal = socket.data.principal;
    const joined = socket.data.dropRooms;
    if (!principal || !joined) return;
    socket.data.dropRooms = undefined;
    for (const dropId of joined.keys()) {
      await this.room.leave(principal, dropId).catch((error: unknown) => {
        this.logger.warn({ err: error }, `drop ${dropId}: leave on disconnect failed`);
      });
    }
  }

  private principalOf(socket: DropSocket): TokenSubject {
    const principal = socket.data.principal;
    if (!principal) throw new AuthenticationRequiredError();
    return principal;
  }

  private async answer<T extends object>(work: () => Promise<T>): Promise<DropAck<T>> {
    try {
      return { ok: true, ...(await work()) };
    } catch (error) {
      if (error instanceof DomainError)
        return {
          ok: false,
          error: { code: error.code, message: error.message, details: error.details },
        };
      this.logger.error({ err: error }, 'drop room request failed unexpectedly');
      return { ok: false, error: { code: 'internal_error', message: 'Internal error' } };
    }
  }
}

function invalid(field: string, reason: string): ValidationError {
  return new ValidationError(`${field} ${reason}`, { fields: { [field]: [reason] } });
}

function uuidOf(body: unknown, field: string): string {
  const value = (body as Record<string, unknown> | null)?.[field];
  if (typeof value !== 'string' || !isUUID(value)) throw invalid(field, 'must be a UUID');
  return value.toLowerCase();
}

function textOf(body: unknown, field: string, max: number): string {
  const value = (body as Record<string, unknown> | null)?.[field];
  const text = typeof value === 'string' ? value.trim() : '';
  if (!text || [...text].length > max)
    throw invalid(field, `must be a text of 1 to ${max} characters`);
  return text;
}
