import { Inject, Injectable } from '@nestjs/common';
import { and, eq, inArray } from 'drizzle-orm';
import { DatabaseClient, type Executor, memberTiers, tiers } from '@app/db';

@Injectable()
export class DropReportRepository {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}

  /** Members' current tier codes (loyalty's member_tiers); members without a tier are absent. */
  async tierCodes(
    brandId: string,
    memberIds: string[],
    tx?: Executor,
  ): Promise<Map<string, string>> {
    if (!memberIds.length) return new Map();
    const rows = await (tx ?? this.client.db)
      .select({ memberId: memberTiers.memberId, code: tiers.code })
      .from(memberTiers)
      .innerJoin(
        tiers,
        and(eq(tiers.brandId, memberTiers.brandId), eq(tiers.id, memberTiers.tierId)),
      )
      .where(and(eq(memberTiers.brandId, brandId), inArray(memberTiers.memberId, memberIds)));
    return new Map(rows.map((r) => [r.memberId, r.code]));
  }
}
