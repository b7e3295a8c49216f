import { Inject, Injectable, Logger } from '@nestjs/common';
import { ModerationRepository } from './moderation.repository';
import { type CompiledRule, type ScreeningVerdict, compileRule, screenText } from './rule-matching';

/** How long a process reuses a brand's compiled rules before reloading them. */
export const SCREENING_CACHE_MS = 5_000;

/**
 * Screens text against the brand's active keyword/regex rules. Rules are compiled once and
 * cached per brand for SCREENING_CACHE_MS; a rule change in this process drops the entry at once
 * (other processes see it within the TTL).
 */
@Injectable()
export class ScreeningService {
  private readonly logger = new Logger(ScreeningService.name);
  private readonly cache = new Map<string, { rules: CompiledRule[]; until: number }>();

  constructor(@Inject(ModerationRepository) private readonly repo: ModerationRepository) {}

  async screen(brandId: string, text: string): Promise<ScreeningVerdict> {
    return screenText(await this.rules(brandId), text);
  }

  /** Forgets the brand's compiled rules; call after the transaction that changed them commits. */
  invalidate(brandId: string): void {
    this.cache.delete(brandId);
  }

  private async rules(brandId: string): Promise<CompiledRule[]> {
    const now = Date.now();
    const cached = this.cache.get(brandId);
    if (cached && cached.until > now) return cached.rules;
    const rows = await this.repo.listActiveRules(brandId);
    const rules = rows.flatMap((row) => {
      // Rules are validated on write; one written around the API must not stop all posting.
      try {
        return [compileRule(row)];
      } catch {
        this.logger.warn(`brand ${brandId}: moderation rule ${row.id} does not compile; skipped`);
        return [];
      }
    });
    // Bounded: a process serving many brands must not grow without limit.
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(brandId, { rules, until: now + SCREENING_CACHE_MS });
    return rules;
  }
}
