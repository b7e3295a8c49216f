import type { Socket } from 'socket.io-client';
import { type DatabaseClient, dropSkus, drops } from '@app/db';
import type { ApiHarness } from './factories';
import { SocketClients } from './socket-clients';

/**
 * Live-room test helpers: drops written straight with drizzle (so the room can be tested without
 * the drop-management endpoints) and socket.io clients that answer through acks.
 */
type DropStatus = (typeof drops.$inferSelect)['status'];

export interface LiveDropFixture {
  id: string;
  skuIds: string[];
}

export async function insertLiveDrop(
  db: DatabaseClient,
  brandId: string,
  fields: {
    status?: DropStatus;
    startsAt?: Date;
    endsAt?: Date;
    skus?: { id: string; stock: number; perMemberLimit?: number }[];
  } = {},
): Promise<LiveDropFixture> {
  const startsAt = fields.startsAt ?? new Date(Date.now() - 60_000);
  const endsAt = fields.endsAt ?? new Date(startsAt.getTime() + 3_600_000);
  const skus = fields.skus ?? [{ id: 'SKU-1', stock: 100 }];
  const [drop] = await db.db
    .insert(drops)
    .values({
      brandId,
      title: 'Live drop',
      hostName: 'Host',
      status: fields.status ?? 'live',
      startsAt,
      endsAt,
    })
    .returning({ id: drops.id });
  await db.db.insert(dropSkus).values(
    skus.map((sku) => ({
      brandId,
      dropId: drop.id,
      id: sku.id,
      productId: `P-${sku.id}`,
      name: sku.id,
      priceMinor: 1000,
      stock: sku.stock,
      perMemberLimit: sku.perMemberLimit ?? 1,
    })),
  );
  return { id: drop.id, skuIds: skus.map((s) => s.id) };
}

/** The ack of a live-room request. */
export type Ack = { ok: true } & Record<string, unknown>;
export type AckError = { ok: false; error: { code: string; message: string; details?: unknown } };

/** socket.io clients of one test file, all closed by `closeAll`. */
/** Clients of the api under test (its own URL). */
export class LiveClients {
  private readonly clients = new SocketClients();

  constructor(private readonly api: ApiHarness) {}

  async connect(token: string): Promise<Socket> {
    return this.clients.connect(await this.api.app.getUrl(), token);
  }

  closeAll(): void {
    this.clients.closeAll();
  }
}

export function request<T = Ack | AckError>(
  socket: Socket,
  event: string,
  body: unknown,
): Promise<T> {
  return socket.timeout(10_000).emitWithAck(event, body) as Promise<T>;
}

/** Collects every event of `event` a socket receives. */
export function collect<T>(socket: Socket, event: string): T[] {
  const seen: T[] = [];
  socket.on(event, (payload: T) => seen.push(payload));
  return seen;
}
