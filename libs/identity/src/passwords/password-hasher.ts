import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCallback) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

const KEY_LENGTH = 32;

/**
 * scrypt password hashes in a self-describing format `scrypt$N$r$p$salt$hash`, so the cost can
 * be raised later and old hashes still verify (and can be re-hashed on login).
 */
export class PasswordHasher {
  constructor(private readonly cost: number = 16384) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, this.params(this.cost));
    return ['scrypt', this.cost, 8, 1, salt.toString('base64url'), key.toString('base64url')].join(
      '$',
    );
  }

  async verify(password: string, encoded: string): Promise<boolean> {
    const [algorithm, n, r, p, salt, hash] = encoded.split('$');
    if (algorithm !== 'scrypt' || !salt || !hash) return false;
    const expected = Buffer.from(hash, 'base64url');
    const actual = await scrypt(
      password.normalize('NFKC'),
      Buffer.from(salt, 'base64url'),
      expected.length,
      {
        ...this.params(Number(n)),
        r: Number(r),
        p: Number(p),
      },
    );
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  needsRehash(encoded: string): boolean {
    return Number(encoded.split('$')[1]) !== this.cost;
  }

  private params(n: number) {
    return { N: n, r: 8, p: 1, maxmem: 256 * n * 8 + 1024 * 1024 };
  }
}
