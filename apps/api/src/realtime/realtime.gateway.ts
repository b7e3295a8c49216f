import { Inject, Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import { isUUID } from 'class-validator';
import type { DefaultEventsMap, ExtendedError, Server, Socket } from 'socket.io';
import { DomainError, ValidationError, rooms } from '@app/common';
import { CommunitiesService } from '@app/community';
import { AuthService, AuthenticationRequiredError, type TokenSubject } from '@app/identity';

/** What the server tells a client right after it connected. */
export interface SessionEvent {
  type: TokenSubject['type'];
  brandId: string;
  id: string;
  rooms: string[];
  /** When the access token expires; the server disconnects then (reconnect with a fresh token). */
  expiresAt: string;
}

interface ServerToClientEvents {
  session: (session: SessionEvent) => void;
}

/** Answer (socket.io acknowledgement) to a room subscription request. */
export type RoomAck =
  { ok: true; room: string } | { ok: false; error: { code: string; message: string } };

/** Client → server: `community:subscribe` / `community:leave` with `{ communityId }`. */
export const COMMUNITY_SUBSCRIBE = 'community:subscribe';
export const COMMUNITY_LEAVE = 'community:leave';

interface SocketData {
  principal?: TokenSubject;
  expiresAt?: Date;
  expiryTimer?: NodeJS.Timeout;
}

type RealtimeServer = Server<DefaultEventsMap, ServerToClientEvents, DefaultEventsMap, SocketData>;
type RealtimeSocket = Socket<DefaultEventsMap, ServerToClientEvents, DefaultEventsMap, SocketData>;

/** Rooms a principal belongs to: everyone of the brand, plus their own member or staff room. */
export function roomsFor(principal: TokenSubject): string[] {
  return [
    rooms.brand(principal.brandId),
    principal.type === 'member' ? rooms.member(principal.id) : rooms.staff(principal.brandId),
  ];
}

/**
 * socket.io entry point. A connection must present an access JWT in `handshake.auth.token`;
 * otherwise it is refused during the handshake (`connect_error` with `data.code`). Events are
 * pushed to rooms from anywhere (the worker's outbox consumer) through the Redis adapter.
 */
@WebSocketGateway()
export class RealtimeGateway
  implements
    OnGatewayInit<RealtimeServer>,
    OnGatewayConnection<RealtimeSocket>,
    OnGatewayDisconnect<RealtimeSocket>
{
  private readonly logger = new Logger(RealtimeGateway.name);

  @WebSocketServer()
  server!: RealtimeServer;

  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(CommunitiesService) private readonly communities: CommunitiesService,
  ) {}

  afterInit(server: RealtimeServer): void {
    server.use((socket, next) => {
      this.authenticate(socket).then(
        () => next(),
        (error: unknown) => next(this.connectError(error)),
      );
    });
  }

  async handleConnection(socket: RealtimeSocket): Promise<void> {
    const { principal, expiresAt } = socket.data;
    if (!principal || !expiresAt) {
      socket.disconnect(true);
      return;
    }
    const joined = roomsFor(principal);
    await socket.join(joined);
    const timer = setTimeout(
      () => socket.disconnect(true),
      Math.max(0, expiresAt.getTime() - Date.now()),
    );
    timer.unref();
    socket.data.expiryTimer = timer;
    socket.emit('session', {
      type: principal.type,
      brandId: principal.brandId,
      id: principal.id,
      rooms: joined,
      expiresAt: expiresAt.toISOString(),
    });
  }

  /**
   * Joins the `community:<id>` room when the caller may read the community (the same rule as the
   * HTTP feed: public or a member of it, not banned; staff of the brand: any). Checked once at
   * subscription: a member who leaves or is banned later keeps the room until they leave it or
   * reconnect.
   */
  @SubscribeMessage(COMMUNITY_SUBSCRIBE)
  async subscribeCommunity(
    @ConnectedSocket() socket: RealtimeSocket,
    @MessageBody() body: unknown,
  ): Promise<RoomAck> {
    try {
      const principal = socket.data.principal;
      if (!principal) throw new AuthenticationRequiredError();
      const communityId = this.communityIdOf(body);
      await this.communities.maySubscribe(principal, communityId);
      const room = rooms.community(communityId);
      await socket.join(room);
      return { ok: true, room };
    } catch (error) {
      return { ok: false, error: this.errorOf(error) };
    }
  }

  @SubscribeMessage(COMMUNITY_LEAVE)
  async leaveCommunity(
    @ConnectedSocket() socket: RealtimeSocket,
    @MessageBody() body: unknown,
  ): Promise<RoomAck> {
    try {
      const room = rooms.community(this.communityIdOf(body));
      await socket.leave(room);
      return { ok: true, room };
    } catch (error) {
      return { ok: false, error: this.errorOf(error) };
    }
  }

  handleDisconnect(socket: RealtimeSocket): void {
    clearTimeout(socket.data.expiryTimer);
  }

  private async authenticate(socket: RealtimeSocket): Promise<void> {
    const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
    if (typeof token !== 'string' || !token) throw new AuthenticationRequiredError();
    const { principal, expiresAt } = await this.auth.authenticateAccessToken(token);
    socket.data.principal = principal;
    socket.data.expiresAt = expiresAt;
  }

  private communityIdOf(body: unknown): string {
    const id = (body as { communityId?: unknown } | null)?.communityId;
    if (typeof id !== 'string' || !isUUID(id))
      throw new ValidationError('communityId must be a UUID', {
        fields: { communityId: ['must be a UUID'] },
      });
    return id.toLowerCase();
  }

  private errorOf(error: unknown): { code: string; message: string } {
    if (error instanceof DomainError) return { code: error.code, message: error.message };
    this.logger.error({ err: error }, 'socket room request failed unexpectedly');
    return { code: 'internal_error', message: 'Internal error' };
  }

  private connectError(error: unknown): ExtendedError {
    if (error instanceof DomainError) {
      const refused: ExtendedError = new Error(error.message);
      refused.data = { code: error.code, message: error.message };
      return refused;
    }
    this.logger.error({ err: error }, 'socket authentication failed unexpectedly');
    const failed: ExtendedError = new Error('Internal error');
    failed.data = { code: 'internal_error', message: 'Internal error' };
    return failed;
  }
}
