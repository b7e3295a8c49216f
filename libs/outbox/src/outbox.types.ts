/** A message as the drainer hands it to consumers. */
export interface OutboxMessage {
  brandId: string;
  id: string;
  topic: string;
  /** Routing key chosen by the publisher, e.g. `member:<id>`. */
  key: string | null;
  payload: Record<string, unknown>;
  headers: Record<string, string>;
  createdAt: Date;
  /** Delivery attempt this claim represents: 1 on first delivery, 2 on the first retry, … */
  attempts: number;
}

/**
 * A message claimed by one drainer. `lockedBy` + `attempts` form the fencing token: every later
 * write about this claim (done, retry, dead) applies only while both still match, so a drainer
 * whose lease expired cannot overwrite the outcome of the drainer that re-claimed the message.
 */
export interface ClaimedMessage extends OutboxMessage {
  lockedBy: string;
  lockedUntil: Date;
}

export type ClaimRef = Pick<ClaimedMessage, 'brandId' | 'id' | 'lockedBy' | 'attempts'>;

export interface DeliveryContext {
  /** 1 on first delivery; > 1 means the message may already have been (partly) handled. */
  attempt: number;
  drainerId: string;
  /** Aborted when the claim's lease runs out: stop work, the message will be redelivered. */
  signal: AbortSignal;
}

/**
 * Receives outbox messages. Delivery is at least once: `handle` may run several times for one
 * message (after a crash, a lease expiry, or another consumer's failure), so it must be
 * idempotent — typically through `IdempotentConsumer.runOnce`. Throwing makes the message retry.
 */
export interface OutboxConsumer {
  /** Stable, unique name; it is the key of this consumer's rows in `processed_messages`. */
  readonly name: string;
  /** Topics handled: exact names, `prefix.*` patterns, or `'*'` for every message. */
  readonly topics: readonly string[] | '*';
  handle(message: OutboxMessage, ctx: DeliveryContext): Promise<void>;
}

export interface OutboxStats {
  /** Not yet delivered and not dead (includes scheduled and in-flight messages). */
  pending: number;
  dead: number;
  /** Seconds the longest-waiting *due* message has been deliverable; 0 when none is due. */
  oldestPendingAgeSeconds: number;
}
