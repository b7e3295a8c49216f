import { JwtService } from '@nestjs/jwt';
import { Emitter } from '@socket.io/redis-emitter';
import Redis from 'ioredis';
import { type Socket, io } from 'socket.io-client';
import { socketIoKey } from '@app/common';
import { ACCESS_AUDIENCE, TOKEN_ISSUER } from '@app/identity';
import { type ApiHarness, bootApi, createStaff, seedTenant } from '../support/factories';

interface Session {
  type: string;
  brandId: string;
  id: string;
  rooms: string[];
  expiresAt: string;
}

interface Client {
  socket: Socket;
  session: Session;
  received: { event: string; payload: unknown }[];
  /** Resolves when the client has received `event`. */
  next(event: string): Promise<unknown>;
}

describe('socket.io gateway (e2e)', () => {
  let api: ApiHarness;
  let url: string;
  let redis: Redis;
  let emitter: Emitter;
  let a: Awaited<ReturnType<typeof seedTenant>>;
  let b: Awaited<ReturnType<typeof seedTenant>>;
  const open: Socket[] = [];

  const socketTo = (auth?: Record<string, unknown>) => {
    const socket = io(url, {
      auth,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    open.push(socket);
    return socket;
  };

  function connect(token: string): Promise<Client> {
    const socket = socketTo({ token });
    const received: Client['received'] = [];
    const waiters = new Map<string, (payload: unknown) => void>();
    socket.onAny((event: string, payload: unknown) => {
      received.push({ event, payload });
      waiters.get(event)?.(payload);
    });
    return new Promise((resolve, reject) => {
      socket.once('connect_error', reject);
      socket.once('session', (session: Session) =>
        resolve({
          socket,
          session,
          received,
          next: (event) =>
            new Promise((ok) => {
              const seen = received.find((r) => r.event === event);
              if (seen) ok(seen.payload);
              else waiters.set(event, ok);
            }),
        }),
      );
    });
  }

  /** Resolves with the error data of a refused handshake. */
  function refused(
    auth?: Record<string, unknown>,
  ): Promise<{ message: string; data?: { code: string } }> {
    const socket = socketTo(auth);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => reject(new Error('connection was accepted')));
      socket.once('connect_error', (error: Error & { data?: { code: string } }) =>
        resolve({ message: error.message, data: error.data }),
      );
    });
  }

  beforeAll(async () => {
    api = await bootApi();
    await api.app.listen(0, '127.0.0.1');
    url = await api.app.getUrl();
    redis = new Redis(api.config.redis.url);
    emitter = new Emitter(redis, { key: socketIoKey(api.config) });
    a = await seedTenant(api, 'rt-a');
    b = await seedTenant(api, 'rt-b');
  });

  afterAll(async () => {
    for (const socket of open) socket.disconnect();
    await redis?.quit();
    await api?.close();
  });

  it('refuses a connection without a token', async () => {
    expect(await refused()).toEqual({
      message: 'Authentication required',
      data: { code: 'unauthenticated', message: 'Authentication required' },
    });
    expect((await refused({ token: 42 })).data?.code).toBe('unauthenticated');
  });

  it('refuses forged and expired tokens', async () => {
    expect((await refused({ token: 'not-a-jwt' })).data?.code).toBe('invalid_token');
    const sign = (secret: string, expiresIn: number) =>
      new JwtService().signAsync(
        { brandId: a.brandId, typ: 'member' },
        {
          secret,
          subject: a.member.id,
          audience: ACCESS_AUDIENCE,
          issuer: TOKEN_ISSUER,
          expiresIn,
        },
      );
    expect(
      (await refused({ token: await sign('another-secret-of-sufficient-length', 60) })).data?.code,
    ).toBe('invalid_token');
    expect(
      (await refused({ token: await sign(api.config.auth.accessSecret, -5) })).data?.code,
    ).toBe('token_expired');
  });

  it('joins a member to brand:<id> and member:<id>, staff to brand:<id> and staff:<brandId>', async () => {
    const member = await connect(a.memberTokens.accessToken);
    expect(member.session).toMatchObject({ type: 'member', brandId: a.brandId, id: a.member.id });
    expect(member.session.rooms.sort()).toEqual(
      [`brand:${a.brandId}`, `member:${a.member.id}`].sort(),
    );

    const staff = await connect(a.owner.accessToken);
    expect(staff.session.rooms.sort()).toEqual([`brand:${a.brandId}`, `staff:${a.brandId}`].sort());
  });

  it('delivers room events (through Redis) only to the sockets in the room', async () => {
    const memberA = await connect(a.memberTokens.accessToken);
    const staffA = await connect(a.owner.accessToken);
    const memberB = await connect(b.memberTokens.accessToken);

    emitter.to(`member:${a.member.id}`).emit('for-member', { n: 1 });
    emitter.to(`staff:${a.brandId}`).emit('for-staff', { n: 2 });
    emitter.to(`brand:${a.brandId}`).emit('for-brand', { n: 3 });
    // One Redis connection publishes in order: once every socket saw the barrier, nothing else is in flight.
    emitter.emit('barrier', {});

    expect(await memberA.next('for-member')).toEqual({ n: 1 });
    expect(await staffA.next('for-staff')).toEqual({ n: 2 });
    expect(await memberA.next('for-brand')).toEqual({ n: 3 });
    expect(await staffA.next('for-brand')).toEqual({ n: 3 });
    await Promise.all([memberA.next('barrier'), staffA.next('barrier'), memberB.next('barrier')]);

    const events = (client: Client) =>
      client.received
        .map((r) => r.event)
        .filter((event) => event !== 'session')
        .sort();
    expect(events(memberA)).toEqual(['barrier', 'for-brand', 'for-member']);
    expect(events(staffA)).toEqual(['barrier', 'for-brand', 'for-staff']);
    expect(events(memberB)).toEqual(['barrier']);
  });

  it('refuses a disabled staff user even with an unexpired token', async () => {
    const marketer = await createStaff(api, a.slug, a.owner.accessToken, 'marketer');
    await connect(marketer.tokens.accessToken);
    await api
      .http()
      .post(`/v1/staff/${marketer.id}/disable`)
      .set('authorization', `Bearer ${a.owner.accessToken}`)
      .expect(200);
    expect((await refused({ token: marketer.tokens.accessToken })).data?.code).toBe(
      'account_disabled',
    );
  });

  it('disconnects a socket when its access token expires', async () => {
    const shortLived = await new JwtService().signAsync(
      { brandId: a.brandId, typ: 'member' },
      {
        secret: api.config.auth.accessSecret,
        subject: a.member.id,
        audience: ACCESS_AUDIENCE,
        issuer: TOKEN_ISSUER,
        expiresIn: 1,
      },
    );
    const client = await connect(shortLived);
    const reason = await new Promise<string>((resolve) =>
      client.socket.once('disconnect', resolve),
    );
    expect(reason).toBe('io server disconnect');
  });
});
