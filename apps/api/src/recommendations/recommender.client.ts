import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { MemberNotFoundError } from '@app/identity';
import type { RecommendationsResponseDto } from '@app/ml';

/** Long enough for a warm recommender (milliseconds), short enough that the console never hangs. */
export const RECOMMENDER_TIMEOUT_MS = 1_500;

export type RecommenderUnavailableReason = 'unreachable' | 'timeout' | 'error';

export type RecommenderAnswer =
  | { available: true; body: RecommendationsResponseDto }
  | { available: false; reason: RecommenderUnavailableReason };

/**
 * The api's HTTP client of apps/recommender. It forwards the caller's staff access token (the
 * recommender verifies it with the shared JWT secret and re-checks the staff row, docs/adr/0020),
 * so the brand and role are proven by a signed token, not by a header the recommender must trust.
 * Anything but a 200 or a 404 means "unavailable": recommendations are optional on every screen.
 */
@Injectable()
export class RecommenderClient {
  private readonly logger = new Logger(RecommenderClient.name);

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  async forMember(
    accessToken: string,
    memberId: string,
    options: { limit: number; requestId?: string },
  ): Promise<RecommenderAnswer> {
    const url = `${this.config.ml.recommenderUrl}/v1/members/${encodeURIComponent(memberId)}/recommendations?limit=${options.limit}`;
    // Aborts the request and the body read alike; `aborted` tells a timeout from a refusal.
    const deadline = AbortSignal.timeout(RECOMMENDER_TIMEOUT_MS);
    let response: Response;
    try {
      response = await fetch(url, {
        headers: {
          authorization: `Bearer ${accessToken}`,
          accept: 'application/json',
          ...(options.requestId ? { 'x-request-id': options.requestId } : {}),
        },
        signal: deadline,
      });
    } catch (error) {
      const timeout = deadline.aborted;
      this.logger.warn(
        `recommender ${timeout ? 'timed out' : 'unreachable'}: ${error instanceof Error ? error.message : String(error)}`,
      );
      return { available: false, reason: timeout ? 'timeout' : 'unreachable' };
    }
    if (response.status === 404) {
      await response.body?.cancel();
      throw new MemberNotFoundError();
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      this.logger.warn(`recommender answered ${response.status}`);
      return { available: false, reason: 'error' };
    }
    try {
      return { available: true, body: (await response.json()) as RecommendationsResponseDto };
    } catch (error) {
      this.logger.warn(`recommender body unreadable: ${String(error)}`);
      return { available: false, reason: deadline.aborted ? 'timeout' : 'error' };
    }
  }
}
