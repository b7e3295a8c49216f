import { Inject, Injectable, Logger } from '@nestjs/common';
import { OrdersRepository } from '../orders.repository';
import { EarningRulesService } from './earning-rules.service';

const PAGE = 500;

export const birthdayDedupeKey = (memberId: string, year: number) => `birthday:${memberId}:${year}`;

const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/**
 * The daily birthday award: every member whose birthday is today (UTC; 29 February birthdays on
 * 28 February in other years) in a brand with an active birthday rule gets it once per year
 * (dedupe `birthday:<memberId>:<year>`), so re-running the job the same day awards nothing twice.
 */
@Injectable()
export class BirthdayPointsService {
  private readonly logger = new Logger(BirthdayPointsService.name);

  constructor(
    @Inject(OrdersRepository) private readonly repository: OrdersRepository,
    @Inject(EarningRulesService) private readonly rules: EarningRulesService,
  ) {}

  async run(now: Date = new Date()): Promise<{ considered: number; awarded: number }> {
    const year = now.getUTCFullYear();
    const month = now.getUTCMonth() + 1;
    const day = now.getUTCDate();
    const includeFeb29 = month === 2 && day === 28 && !isLeap(year);
    let after: { brandId: string; id: string } | null = null;
    let considered = 0;
    let awarded = 0;
    for (;;) {
      const members = await this.repository.birthdayMembers(month, day, includeFeb29, after, PAGE);
      for (const member of members) {
        considered += 1;
        const award = await this.rules.awardBehaviour(member.brandId, member.id, {
          kind: 'birthday',
          dedupeKey: birthdayDedupeKey(member.id, year),
          sourceId: String(year),
          actor: { type: 'system' },
          at: now,
        });
        if (award.awarded && !award.duplicate) awarded += 1;
      }
      if (members.length < PAGE) break;
      after = members[members.length - 1];
    }
    this.logger.log(`birthday points: ${awarded} awarded of ${considered} birthdays`);
    return { considered, awarded };
  }
}
