/** Topics drops write to the outbox. */
export const DropsTopics = {
  /** Every status change; pushed to room `drop:<id>` by the realtime consumer. */
  StatusChanged: 'drop.status_changed',
  /** The after-drop report (analytics). */
  Ended: 'drop.ended',
  RaffleDrawn: 'drop.raffle_drawn',
  /** To member:<id> (realtime): the raffle did not pick them. */
  RaffleLost: 'drop.raffle_lost',
  /** To member:<id> (realtime): the raffle picked them; their hold is in the payload. */
  RaffleWon: 'drop.raffle_won',
  ReservationConfirmed: 'drop.reservation_confirmed',
  ReservationExpired: 'drop.reservation_expired',
} as const;

/** Header that asks the realtime consumer to push the message to the room named by its key. */
export const ROOM_REALTIME_HEADERS = { realtime: 'key' } as const;

export const dropRoomKey = (dropId: string) => `drop:${dropId}`;
export const memberRoomKey = (memberId: string) => `member:${memberId}`;

export interface DropStatusChangedPayload extends Record<string, unknown> {
  dropId: string;
  from: string;
  to: string;
  /**
   * The drop's version after this change. Pushes can reach a room out of order (the outbox
   * drainer delivers a batch's messages concurrently, and retries; ADR 0006), so clients keep
   * the highest version they have seen.
   */
  version: number;
  at: string;
  startsAt: string;
  endsAt: string;
  earlyAccessAt: string | null;
}
