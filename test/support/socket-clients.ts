import { type Socket, io } from 'socket.io-client';

/**
 * The socket.io clients of a test file: each connects over websocket with a bearer token and
 * resolves once the server has authenticated it (its `session` event); `closeAll` at the end.
 */
export class SocketClients {
  private readonly sockets: Socket[] = [];

  async connect(url: string, token: string): Promise<Socket> {
    const socket = io(url, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    this.sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect_error', reject);
      socket.once('session', () => resolve());
    });
    return socket;
  }

  closeAll(): void {
    for (const socket of this.sockets) socket.disconnect();
  }
}
