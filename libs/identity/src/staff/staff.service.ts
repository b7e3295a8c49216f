import { Inject, Injectable } from '@nestjs/common';
import { type Page, ValidationError } from '@app/common';
import { DatabaseClient } from '@app/db';
import { AuditLogRepository } from '../audit/audit-log.repository';
import { RefreshTokensRepository } from '../auth/refresh-tokens.repository';
import { assertEmailShape, assertPasswordPolicy } from '../auth/credential-policy';
import {
  CannotDisableSelfError,
  StaffEmailTakenError,
  StaffNotFoundError,
} from '../identity.errors';
import { normalizeEmail } from '../members/member-profile';
import { PasswordHasher } from '../passwords/password-hasher';
import { decodePosition, keysetPage, pageSize } from '../persistence/keyset';
import { type StaffActor, type StaffRole, STAFF_ROLES } from '../principal';
import { type StaffUser, StaffRepository } from './staff.repository';

export interface CreateStaffInput {
  email: string;
  displayName: string;
  role: StaffRole;
  /** Initial password, handed over by the owner; the staff user should change it. */
  password: string;
}

const auditActor = (actor: StaffActor) => ({
  type: 'staff' as const,
  id: actor.id,
  requestId: actor.requestId,
});

@Injectable()
export class StaffService {
  constructor(
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(StaffRepository) private readonly staff: StaffRepository,
    @Inject(RefreshTokensRepository) private readonly refreshTokens: RefreshTokensRepository,
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
    @Inject(PasswordHasher) private readonly hasher: PasswordHasher,
  ) {}

  async create(actor: StaffActor, input: CreateStaffInput): Promise<StaffUser> {
    const email = normalizeEmail(input.email);
    const displayName = input.displayName.trim();
    assertEmailShape(email);
    if (!displayName)
      throw new ValidationError('Display name is required', {
        fields: { displayName: ['must not be empty'] },
      });
    if (!(STAFF_ROLES as readonly string[]).includes(input.role)) {
      throw new ValidationError('Unknown role', {
        fields: { role: [`must be one of ${STAFF_ROLES.join(', ')}`] },
      });
    }
    assertPasswordPolicy(input.password);
    const passwordHash = await this.hasher.hash(input.password);
    return this.db.transaction(async (trx) => {
      const created = await this.staff.insert(
        actor.brandId,
        { email, displayName, role: input.role, passwordHash },
        trx,
      );
      if (!created) throw new StaffEmailTakenError();
      await this.audit.insert(
        actor.brandId,
        {
          actor: auditActor(actor),
          action: 'staff.created',
          target: { type: 'staff', id: created.id },
          details: { role: created.role },
        },
        trx,
      );
      return created;
    });
  }

  async getById(brandId: string, staffId: string): Promise<StaffUser> {
    const found = await this.staff.findById(brandId, staffId);
    if (!found) throw new StaffNotFoundError();
    return found;
  }

  async list(
    brandId: string,
    query: { limit?: number; cursor?: string },
  ): Promise<Page<StaffUser>> {
    const limit = pageSize(query.limit);
    const after = query.cursor ? decodePosition(query.cursor) : undefined;
    return keysetPage(await this.staff.list(brandId, { limit, after }), limit);
  }

  /**
   * Disables a staff user and revokes every refresh token they hold, in one transaction.
   * Idempotent: disabling a disabled user changes nothing and writes no audit entry.
   * An owner cannot disable themselves, so a brand always keeps an active owner.
   */
  async disable(actor: StaffActor, staffId: string): Promise<StaffUser> {
    if (staffId === actor.id) throw new CannotDisableSelfError();
    return this.db.transaction(async (trx) => {
      const existing = await this.staff.findById(actor.brandId, staffId, trx);
      if (!existing) throw new StaffNotFoundError();
      if (existing.disabledAt) return existing;
      const at = new Date();
      const disabled = await this.staff.disable(actor.brandId, staffId, at, trx);
      if (!disabled) return (await this.staff.findById(actor.brandId, staffId, trx)) ?? existing;
      const revoked = await this.refreshTokens.revokeAllForSubject(
        actor.brandId,
        { type: 'staff', id: staffId },
        at,
        trx,
      );
      await this.audit.insert(
        actor.brandId,
        {
          actor: auditActor(actor),
          action: 'staff.disabled',
          target: { type: 'staff', id: staffId },
          details: { revokedSessions: revoked },
        },
        trx,
      );
      return disabled;
    });
  }
}
