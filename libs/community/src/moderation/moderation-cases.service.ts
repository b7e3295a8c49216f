import { Inject, Injectable } from '@nestjs/common';
import type { Executor } from '@app/db';
import { ModerationRepository, type OpenCaseInput } from './moderation.repository';

/** The moderation queue as seen by the content writers (posts, comments, reviews, chat). */
@Injectable()
export class ModerationCasesService {
  constructor(@Inject(ModerationRepository) private readonly repo: ModerationRepository) {}

  /**
   * Opens (or joins) THE open case of a target: idempotent, one open case per target; a
   * 'reported' call adds one to report_count. Pass the transaction that wrote the content.
   * Resolves to the case id.
   */
  open(brandId: string, input: OpenCaseInput, tx?: Executor): Promise<string> {
    return this.repo.openCase(brandId, input, tx);
  }
}
