import { Inject, Injectable } from '@nestjs/common';
import { DatabaseClient, type Executor, auditLog } from '@app/db';
import type { AuditActor } from '../principal';

export interface AuditEntry {
  actor: AuditActor;
  /** `<resource>.<verb>`, e.g. `staff.created`, `api_key.revoked`. */
  action: string;
  target?: { type: string; id: string };
  details?: Record<string, unknown>;
}

/** Append-only audit trail of every staff/operator change; written in the change's transaction. */
@Injectable()
export class AuditLogRepository {
  constructor(@Inject(DatabaseClient) private readonly client: DatabaseClient) {}

  async insert(brandId: string, entry: AuditEntry, tx?: Executor): Promise<void> {
    await (tx ?? this.client.db).insert(auditLog).values({
      brandId,
      actorType: entry.actor.type,
      actorId: entry.actor.id ?? null,
      action: entry.action,
      targetType: entry.target?.type ?? null,
      targetId: entry.target?.id ?? null,
      details: entry.details ?? {},
      requestId: entry.actor.requestId ?? null,
    });
  }
}
