import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import Redis from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import type { AppConfig } from '@app/config';
import { socketIoKey } from '@app/common';

/** socket.io over the Redis adapter: every api process sees every room. */
export class RedisIoAdapter extends IoAdapter {
  private adapterFactory?: ReturnType<typeof createAdapter>;
  private readonly clients: Redis[] = [];

  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  async connect(): Promise<void> {
    const pub = new Redis(this.config.redis.url, { lazyConnect: true });
    const sub = pub.duplicate();
    await Promise.all([pub.connect(), sub.connect()]);
    this.clients.push(pub, sub);
    this.adapterFactory = createAdapter(pub, sub, { key: socketIoKey(this.config) });
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, {
      ...options,
      cors: { origin: this.config.http.corsOrigins.length ? this.config.http.corsOrigins : false },
      // Long-polling needs every request of a session on one process: with several api
      // processes behind one port (API_WORKERS) only websocket sessions are served.
      ...(this.config.http.apiWorkers > 1 ? { transports: ['websocket' as const] } : {}),
    }) as Server;
    if (this.adapterFactory) server.adapter(this.adapterFactory);
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    await Promise.all(this.clients.map((client) => client.quit().catch(() => client.disconnect())));
  }
}
