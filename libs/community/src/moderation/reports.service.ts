import { Inject, Injectable } from '@nestjs/common';
import { DatabaseClient } from '@app/db';
import {
  ModerationTargetNotFoundError,
  ReportDuplicateError,
  ReportOwnContentError,
  ReportRateLimitedError,
} from './moderation.errors';
import {
  type ContentReport,
  type ContentTargetType,
  ModerationRepository,
  type ReportReason,
} from './moderation.repository';
import { ReportRateLimiter } from './report-rate-limiter';

export interface ReportInput {
  targetType: ContentTargetType;
  targetId: string;
  reason: ReportReason;
  note?: string;
}

/** Member reports: one per reporter per target, each joining the target's open case. */
@Injectable()
export class ReportsService {
  constructor(
    @Inject(DatabaseClient) private readonly client: DatabaseClient,
    @Inject(ModerationRepository) private readonly repo: ModerationRepository,
    @Inject(ReportRateLimiter) private readonly limiter: ReportRateLimiter,
  ) {}

  async report(brandId: string, reporterId: string, input: ReportInput): Promise<ContentReport> {
    // Only published content can be reported: held, hidden, removed and deleted content is not
    // visible to other members, so for them it does not exist (404, no leak).
    const target = await this.repo.findTarget(brandId, input.targetType, input.targetId);
    if (!target || target.status !== 'published') throw new ModerationTargetNotFoundError();
    if (target.authorId === reporterId) throw new ReportOwnContentError();
    const wait = await this.limiter.hit(brandId, reporterId);
    if (wait !== null) throw new ReportRateLimitedError(wait);

    return this.client.transaction(async (tx) => {
      const report = await this.repo.insertReport(
        brandId,
        {
          targetType: input.targetType,
          targetId: input.targetId,
          reporterId,
          reason: input.reason,
          note: input.note ?? '',
        },
        tx,
      );
      if (!report) throw new ReportDuplicateError();
      const caseId = await this.repo.openCase(
        brandId,
        {
          targetType: target.targetType,
          targetId: target.id,
          communityId: target.communityId,
          memberId: target.authorId,
          reason: 'reported',
        },
        tx,
      );
      await this.repo.setReportCase(brandId, report.id, caseId, tx);
      return { ...report, caseId };
    });
  }
}
