import { createHash } from 'node:crypto';

/**
 * The raffle's draw, deterministic from public inputs so anyone can replay it:
 *   seed      = sha256(dropId + ":" + serverSeed)           (serverSeed committed before, revealed after)
 *   entrant   = sha256(dropId + ":" + memberId)[0..16]       (pseudonymous, a member can find theirs)
 *   per SKU:  entrants sorted, Fisher–Yates shuffled with a SHA-256 counter-mode PRNG keyed by
 *             seed + ":" + skuId, then taken in shuffled order while their quantity fits the units.
 */
export const RAFFLE_ALGORITHM =
  'seed=sha256(dropId:serverSeed); entrant=sha256(dropId:memberId)[0:16]; per SKU: sort entrants, Fisher-Yates with uint32 = sha256(seed:skuId:counter)[0:4] (rejection sampling), winners in shuffled order while quantity fits';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export const raffleSeed = (dropId: string, serverSeed: string) => sha256(`${dropId}:${serverSeed}`);
export const seedCommitment = (serverSeed: string) => sha256(serverSeed);
export const entrantId = (dropId: string, memberId: string) =>
  sha256(`${dropId}:${memberId}`).slice(0, 16);

/** Uniform integers in [0, n) from SHA-256 in counter mode (rejection sampling: no modulo bias). */
export class SeededRandom {
  private counter = 0;
  constructor(private readonly key: string) {}

  private next32(): number {
    const digest = createHash('sha256').update(`${this.key}:${this.counter++}`).digest();
    return digest.readUInt32BE(0);
  }

  below(n: number): number {
    const limit = Math.floor(0x1_0000_0000 / n) * n;
    for (;;) {
      const x = this.next32();
      if (x < limit) return x % n;
    }
  }
}

export interface RaffleEntrant {
  entrant: string;
  quantity: number;
}

/** Winners of one SKU, in draw order. */
export function drawSku<T extends RaffleEntrant>(
  seed: string,
  skuId: string,
  entries: T[],
  units: number,
): T[] {
  const order = [...entries].sort((a, b) =>
    a.entrant < b.entrant ? -1 : a.entrant > b.entrant ? 1 : 0,
  );
  const random = new SeededRandom(`${seed}:${skuId}`);
  for (let i = order.length - 1; i > 0; i--) {
    const j = random.below(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const winners: T[] = [];
  let left = units;
  for (const entry of order) {
    if (entry.quantity <= left) {
      winners.push(entry);
      left -= entry.quantity;
    }
    if (left === 0) break;
  }
  return winners;
}
