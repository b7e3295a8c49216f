import { Inject, Logger } from '@nestjs/common';
import {
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { DefaultEventsMap, ExtendedError, Server, Socket } from 'socket.io';
import { DomainError, rooms } from '@app/common';
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

  constructor(@Inject(AuthService) private readonly auth: AuthService) {}

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
