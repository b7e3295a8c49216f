import type { OutboxMessage } from '../outbox.types';
import { realtimeEvent, realtimeRooms } from './realtime-routes';

const BRAND = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const MEMBER = '33333333-3333-4333-8333-333333333333';

const message = (overrides: Partial<OutboxMessage> = {}): OutboxMessage => ({
  brandId: BRAND,
  id: '44444444-4444-4444-8444-444444444444',
  topic: 'something.happened',
  key: null,
  payload: {},
  headers: {},
  createdAt: new Date('2026-01-02T03:04:05.000Z'),
  attempts: 1,
  ...overrides,
});

describe('realtimeRooms', () => {
  it('sends member.registered to the brand staff and to the member', () => {
    expect(
      realtimeRooms(message({ topic: 'member.registered', payload: { memberId: MEMBER } })),
    ).toEqual({
      rooms: [`staff:${BRAND}`, `member:${MEMBER}`],
      rejected: [],
    });
    // The member id may come from the key instead of the payload.
    expect(
      realtimeRooms(message({ topic: 'member.registered', key: `member:${MEMBER}` })).rooms,
    ).toEqual([`staff:${BRAND}`, `member:${MEMBER}`]);
  });

  it('pushes nothing for topics without a route or header', () => {
    expect(realtimeRooms(message())).toEqual({ rooms: [], rejected: [] });
  });

  it('honours the realtime header, with `key` meaning the message key, without duplicates', () => {
    const targets = realtimeRooms(
      message({
        key: `member:${MEMBER}`,
        headers: { realtime: `key, brand:${BRAND}, member:${MEMBER}` },
      }),
    );
    expect(targets).toEqual({ rooms: [`member:${MEMBER}`, `brand:${BRAND}`], rejected: [] });
  });

  it("refuses another brand's brand/staff rooms and malformed names", () => {
    const targets = realtimeRooms(
      message({
        headers: { realtime: `staff:${OTHER},brand:${OTHER},nonsense,admin:1,drop:abc,key` },
      }),
    );
    expect(targets.rooms).toEqual(['drop:abc']);
    expect(targets.rejected).toEqual([
      `staff:${OTHER}`,
      `brand:${OTHER}`,
      'nonsense',
      'admin:1',
      'key',
    ]);
  });
});

describe('realtimeEvent', () => {
  it('is {id, brandId, topic, payload, createdAt}', () => {
    const m = message({ topic: 'member.registered', payload: { memberId: MEMBER } });
    expect(realtimeEvent(m)).toEqual({
      id: m.id,
      brandId: BRAND,
      topic: 'member.registered',
      payload: { memberId: MEMBER },
      createdAt: '2026-01-02T03:04:05.000Z',
    });
  });
});
