import { Inject, Injectable, Optional } from '@nestjs/common';
import { RedisClient } from '@app/common';
import { AppConfig } from '@app/config';
import { ChatRateLimitedError } from './live.errors';

export interface ChatRateLimit {
  /** Tokens added per second (sustained messages per second). */
  perSecond: number;
  /** Bucket size: messages a quiet member may send at once. */
  burst: number;
}

/** 1 message per second sustained, bursts of 5. */
export const DEFAULT_CHAT_RATE_LIMIT: ChatRateLimit = { perSecond: 1, burst: 5 };

/** Injection token to override the limit (tests, benchmarks). */
export const CHAT_RATE_LIMIT = Symbol('CHAT_RATE_LIMIT');

/**
 * Token bucket in one Redis hash {tokens, at}, refilled lazily and taken atomically by the
 * script, so every api process shares a member's bucket. Uses Redis time, not the callers'
 * clocks. Returns 0 when a token was taken, else the ms until one is available.
 */
const TAKE = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + (now - at) * rate / 1000)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.ceil((1 - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return wait
`;

@Injectable()
export class ChatRateLimiter {
  private readonly limit: ChatRateLimit;

  constructor(
    @Inject(RedisClient) private readonly redis: RedisClient,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Optional() @Inject(CHAT_RATE_LIMIT) limit?: ChatRateLimit,
  ) {
    this.limit = limit ?? DEFAULT_CHAT_RATE_LIMIT;
  }

  /** Takes one token of the member's bucket in this drop or throws ChatRateLimitedError. */
  async consume(brandId: string, dropId: string, memberId: string): Promise<void> {
    const key = `${this.config.redis.prefix}:drops:chat-rl:${brandId}:${dropId}:${memberId}`;
    const wait = Number(
      await this.redis.eval(TAKE, 1, key, this.limit.perSecond, this.limit.burst),
    );
    if (wait > 0) throw new ChatRateLimitedError(wait);
  }
}
