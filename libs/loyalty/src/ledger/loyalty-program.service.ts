import { Inject, Injectable } from '@nestjs/common';
import { DatabaseClient, type Executor } from '@app/db';
import { AuditLogRepository, type AuditActor } from '@app/identity';
import { InvalidProgramError } from './ledger.errors';
import { LedgerRepository } from './ledger.repository';
import type { LoyaltyProgram } from './ledger.types';

/** What a brand without a `loyalty_programs` row runs with (the schema's column defaults). */
export const DEFAULT_PROGRAM: Omit<LoyaltyProgram, 'brandId' | 'createdAt' | 'updatedAt'> = {
  currency: 'USD',
  expiryMode: 'rolling',
  expiryMonths: 12,
  clawbackPolicy: 'debt',
  pendingDays: 0,
  expiryWarningDays: 30,
  pointValueMicros: 100,
};

export type LoyaltyProgramUpdate = Partial<
  Pick<
    LoyaltyProgram,
    | 'currency'
    | 'expiryMode'
    | 'expiryMonths'
    | 'clawbackPolicy'
    | 'pendingDays'
    | 'expiryWarningDays'
    | 'pointValueMicros'
  >
>;

const EPOCH = new Date(0);

/** The brand's programme knobs (expiry, clawback policy, pending days, point value). */
@Injectable()
export class LoyaltyProgramService {
  constructor(
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(LedgerRepository) private readonly repository: LedgerRepository,
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
  ) {}

  /** The brand's programme, or the defaults (createdAt/updatedAt = epoch) when it has none. */
  async get(brandId: string, tx?: Executor): Promise<LoyaltyProgram> {
    const row = await this.repository.findProgram(brandId, tx);
    return row ?? { brandId, ...DEFAULT_PROGRAM, createdAt: EPOCH, updatedAt: EPOCH };
  }

  /** Upserts the changed fields (audited as `loyalty_program.updated`). */
  async update(
    brandId: string,
    changes: LoyaltyProgramUpdate,
    actor: AuditActor = { type: 'system' },
    tx?: Executor,
  ): Promise<LoyaltyProgram> {
    validateProgram(changes);
    return this.db.transaction(async (trx) => {
      const before = await this.get(brandId, trx);
      const program = await this.repository.upsertProgram(brandId, changes, trx);
      await this.audit.insert(
        brandId,
        {
          actor,
          action: 'loyalty_program.updated',
          target: { type: 'loyalty_program', id: brandId },
          details: { before: pick(before, changes), after: pick(program, changes) },
        },
        trx,
      );
      return program;
    }, tx);
  }
}

function pick(program: LoyaltyProgram, changes: LoyaltyProgramUpdate): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(changes) as (keyof LoyaltyProgramUpdate)[]) out[key] = program[key];
  return out;
}

const intIn = (value: unknown, min: number, max: number) =>
  Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max;

export function validateProgram(changes: LoyaltyProgramUpdate): void {
  const fields: Record<string, string[]> = {};
  if (changes.currency !== undefined && !/^[A-Z]{3}$/.test(changes.currency))
    fields.currency = ['must be an ISO 4217 code (3 capital letters)'];
  if (
    changes.expiryMode !== undefined &&
    !['rolling', 'end_of_month', 'end_of_year', 'never'].includes(changes.expiryMode)
  )
    fields.expiryMode = ['must be rolling, end_of_month, end_of_year or never'];
  if (changes.expiryMonths !== undefined && !intIn(changes.expiryMonths, 0, 600))
    fields.expiryMonths = ['must be an integer between 0 and 600'];
  if (changes.clawbackPolicy !== undefined && !['debt', 'cap'].includes(changes.clawbackPolicy))
    fields.clawbackPolicy = ['must be debt or cap'];
  if (changes.pendingDays !== undefined && !intIn(changes.pendingDays, 0, 365))
    fields.pendingDays = ['must be an integer between 0 and 365'];
  if (changes.expiryWarningDays !== undefined && !intIn(changes.expiryWarningDays, 0, 365))
    fields.expiryWarningDays = ['must be an integer between 0 and 365'];
  if (changes.pointValueMicros !== undefined && !intIn(changes.pointValueMicros, 0, 1_000_000_000))
    fields.pointValueMicros = ['must be a non-negative integer'];
  if (Object.keys(fields).length) throw new InvalidProgramError(fields);
}
