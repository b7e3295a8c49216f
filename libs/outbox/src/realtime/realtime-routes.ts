import { rooms as room } from '@app/common';
import type { OutboxMessage } from '../outbox.types';

/**
 * Which socket.io rooms an outbox message is pushed to. Two sources, merged:
 * 1. `REALTIME_ROUTES`: built-in routes for known domain events, keyed by topic;
 * 2. the message header `realtime`: a comma-separated list of room names chosen by the
 *    publisher, where the token `key` stands for the message's own key (e.g. `member:<id>`).
 * Room names are `<kind>:<id>` for the kinds in `rooms` (@app/common); `brand:` and `staff:`
 * rooms must be the message's own brand, so a message can never reach another tenant's staff.
 */
export const REALTIME_HEADER = 'realtime';

type Route = (message: OutboxMessage) => Array<string | undefined>;

function memberIdOf(message: OutboxMessage): string | undefined {
  const fromPayload = message.payload.memberId;
  if (typeof fromPayload === 'string') return fromPayload;
  return message.key?.startsWith('member:') ? message.key.slice('member:'.length) : undefined;
}

export const REALTIME_ROUTES: Readonly<Record<string, Route>> = {
  /** Staff dashboards see sign-ups live; the new member's own sessions get a welcome event. */
  'member.registered': (message) => {
    const memberId = memberIdOf(message);
    return [room.staff(message.brandId), memberId ? room.member(memberId) : undefined];
  },
};

const ROOM_PATTERN = /^(brand|staff|member|community|drop):[A-Za-z0-9_-]{1,64}$/;

export interface RealtimeTargets {
  rooms: string[];
  /** Requested rooms refused (malformed, or another brand's brand/staff room). */
  rejected: string[];
}

export function realtimeRooms(message: OutboxMessage): RealtimeTargets {
  const requested = [
    ...(REALTIME_ROUTES[message.topic]?.(message) ?? []),
    ...(message.headers[REALTIME_HEADER] ?? '')
      .split(',')
      .map((token) => token.trim())
      .filter(Boolean)
      .map((token) => (token === 'key' ? (message.key ?? 'key') : token)),
  ].filter((name): name is string => name !== undefined);
  const rooms = new Set<string>();
  const rejected: string[] = [];
  for (const name of requested) {
    const match = ROOM_PATTERN.exec(name);
    const foreignBrand =
      (match?.[1] === 'brand' || match?.[1] === 'staff') &&
      name.slice(match[1].length + 1) !== message.brandId;
    if (!match || foreignBrand) rejected.push(name);
    else rooms.add(name);
  }
  return { rooms: [...rooms], rejected };
}

/** What clients receive: event name = topic, this object as the only argument. */
export interface RealtimeEvent {
  id: string;
  brandId: string;
  topic: string;
  payload: Record<string, unknown>;
  createdAt: string;
}

export function realtimeEvent(message: OutboxMessage): RealtimeEvent {
  return {
    id: message.id,
    brandId: message.brandId,
    topic: message.topic,
    payload: message.payload,
    createdAt: message.createdAt.toISOString(),
  };
}
