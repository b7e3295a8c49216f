import { Inject, Injectable } from '@nestjs/common';
import { type Page, ValidationError } from '@app/common';
import { DatabaseClient } from '@app/db';
import {
  AuditLogRepository,
  type StaffActor,
  decodePosition,
  keysetPage,
  pageSize,
} from '@app/identity';
import { CouponTemplateNotFoundError } from '../rewards.errors';
import type { CouponKind } from './coupon-rules';
import {
  type CouponTemplate,
  type CouponTemplateChanges,
  CouponTemplatesRepository,
  type NewCouponTemplate,
} from './coupon-templates.repository';

export interface CouponTemplateInput {
  name: string;
  kind: CouponKind;
  value?: number;
  freeProductId?: string | null;
  minSpendMinor?: number;
  validDays?: number | null;
  validFrom?: Date | null;
  validTo?: Date | null;
  stackable?: boolean;
  budgetMinor?: number | null;
  maxIssued?: number | null;
  perMemberCap?: number | null;
  active?: boolean;
}

type Checked = Pick<
  CouponTemplate,
  'kind' | 'value' | 'freeProductId' | 'validFrom' | 'validTo' | 'budgetMinor' | 'spentMinor'
> &
  Pick<CouponTemplate, 'maxIssued' | 'issuedCount'>;

/** Cross-field rules class-validator cannot express; field errors in the standard 400 shape. */
export function couponTemplateProblems(t: Checked): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  const add = (field: string, message: string) => (fields[field] ??= []).push(message);
  if (t.kind === 'amount_off' && !(t.value > 0))
    add('value', 'must be > 0 minor units for amount_off');
  if (t.kind === 'percent_off' && !(t.value > 0 && t.value <= 10_000))
    add('value', 'must be 1–10000 basis points for percent_off');
  if (t.kind === 'free_item' && !t.freeProductId) add('freeProductId', 'is required for free_item');
  if (t.kind !== 'free_item' && t.freeProductId)
    add('freeProductId', 'is only allowed for free_item');
  if (t.validFrom && t.validTo && t.validFrom.getTime() >= t.validTo.getTime())
    add('validTo', 'must be after validFrom');
  if (t.budgetMinor !== null && t.budgetMinor < t.spentMinor)
    add('budgetMinor', `must be at least what was already spent (${t.spentMinor})`);
  if (t.maxIssued !== null && t.maxIssued < t.issuedCount)
    add('maxIssued', `must be at least the number already issued (${t.issuedCount})`);
  return fields;
}

function assertValid(t: Checked): void {
  const fields = couponTemplateProblems(t);
  if (Object.keys(fields).length) throw new ValidationError('Invalid coupon template', { fields });
}

const audit = (actor: StaffActor) => ({
  type: 'staff' as const,
  id: actor.id,
  requestId: actor.requestId,
});

/** Staff CRUD of coupon templates (owner/marketer), audited. */
@Injectable()
export class CouponTemplatesService {
  constructor(
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(CouponTemplatesRepository) private readonly templates: CouponTemplatesRepository,
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
  ) {}

  async create(actor: StaffActor, input: CouponTemplateInput): Promise<CouponTemplate> {
    const values: NewCouponTemplate = {
      name: input.name.trim(),
      kind: input.kind,
      value: input.kind === 'free_item' ? 0 : (input.value ?? 0),
      freeProductId: input.freeProductId ?? null,
      minSpendMinor: input.minSpendMinor ?? 0,
      validDays: input.validDays ?? null,
      validFrom: input.validFrom ?? null,
      validTo: input.validTo ?? null,
      stackable: input.stackable ?? false,
      budgetMinor: input.budgetMinor ?? null,
      maxIssued: input.maxIssued ?? null,
      perMemberCap: input.perMemberCap ?? null,
      active: input.active ?? true,
    };
    assertValid({
      kind: values.kind,
      value: values.value ?? 0,
      freeProductId: values.freeProductId ?? null,
      validFrom: values.validFrom ?? null,
      validTo: values.validTo ?? null,
      budgetMinor: values.budgetMinor ?? null,
      spentMinor: 0,
      maxIssued: values.maxIssued ?? null,
      issuedCount: 0,
    });
    return this.db.transaction(async (tx) => {
      const created = await this.templates.insert(actor.brandId, values, tx);
      await this.audit.insert(
        actor.brandId,
        {
          actor: audit(actor),
          action: 'coupon_template.created',
          target: { type: 'coupon_template', id: created.id },
          details: { kind: created.kind, value: created.value, budgetMinor: created.budgetMinor },
        },
        tx,
      );
      return created;
    });
  }

  /** Retires a template (`active: false`): its codes stop validating; history stays. Idempotent. */
  async deactivate(actor: StaffActor, id: string): Promise<CouponTemplate> {
    return this.update(actor, id, { active: false });
  }

  async getById(brandId: string, id: string): Promise<CouponTemplate> {
    const found = await this.templates.findById(brandId, id);
    if (!found) throw new CouponTemplateNotFoundError();
    return found;
  }

  async list(
    brandId: string,
    query: { limit?: number; cursor?: string },
  ): Promise<Page<CouponTemplate>> {
    const limit = pageSize(query.limit);
    const after = query.cursor ? decodePosition(query.cursor) : undefined;
    return keysetPage(await this.templates.list(brandId, { limit, after }), limit);
  }

  /** Absent fields are unchanged, `null` clears; the kind cannot change once codes exist. */
  async update(
    actor: StaffActor,
    id: string,
    changes: Partial<CouponTemplateInput>,
  ): Promise<CouponTemplate> {
    return this.db.transaction(async (tx) => {
      const existing = await this.templates.findById(actor.brandId, id, tx);
      if (!existing) throw new CouponTemplateNotFoundError();
      const patch: CouponTemplateChanges = Object.fromEntries(
        Object.entries({ ...changes, name: changes.name?.trim() }).filter(
          ([, v]) => v !== undefined,
        ),
      );
      if (patch.kind && patch.kind !== existing.kind && existing.issuedCount > 0)
        throw new ValidationError('Invalid coupon template', {
          fields: { kind: ['cannot change once codes were issued'] },
        });
      assertValid({ ...existing, ...patch });
      const updated = await this.templates.update(actor.brandId, id, patch, tx);
      if (!updated) throw new CouponTemplateNotFoundError();
      await this.audit.insert(
        actor.brandId,
        {
          actor: audit(actor),
          action: 'coupon_template.updated',
          target: { type: 'coupon_template', id },
          details: { changes: Object.keys(patch) },
        },
        tx,
      );
      return updated;
    });
  }
}
