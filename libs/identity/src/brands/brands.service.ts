import { Inject, Injectable } from '@nestjs/common';
import { ValidationError } from '@app/common';
import { DatabaseClient, type Executor } from '@app/db';
import { AuditLogRepository } from '../audit/audit-log.repository';
import { assertEmailShape, assertPasswordPolicy } from '../auth/credential-policy';
import { BrandNotFoundError, BrandSlugTakenError } from '../identity.errors';
import { normalizeEmail } from '../members/member-profile';
import { PasswordHasher } from '../passwords/password-hasher';
import type { AuditActor } from '../principal';
import { type StaffUser, StaffRepository } from '../staff/staff.repository';
import { isValidBrandSlug } from './brand-slug';
import { type Brand, BrandsRepository } from './brands.repository';

export interface CreateBrandWithOwnerInput {
  slug: string;
  name: string;
  owner: { email: string; displayName: string; password: string };
}

export interface BrandWithOwner {
  brand: Brand;
  owner: StaffUser;
}

@Injectable()
export class BrandsService {
  constructor(
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(BrandsRepository) private readonly brands: BrandsRepository,
    @Inject(StaffRepository) private readonly staff: StaffRepository,
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
    @Inject(PasswordHasher) private readonly hasher: PasswordHasher,
  ) {}

  /**
   * Creates a tenant and its first owner in one transaction (operator endpoint and CLI).
   * Input is re-checked here because the CLI does not go through the HTTP validation pipe.
   */
  async createBrandWithOwner(
    input: CreateBrandWithOwnerInput,
    actor: AuditActor = { type: 'operator' },
    tx?: Executor,
  ): Promise<BrandWithOwner> {
    const slug = input.slug.trim();
    const name = input.name.trim();
    const displayName = input.owner.displayName.trim();
    const email = normalizeEmail(input.owner.email);
    if (!isValidBrandSlug(slug)) {
      throw new ValidationError('Invalid brand slug', {
        fields: { slug: ['must be 2-63 lower-case letters, digits or single dashes'] },
      });
    }
    if (!name)
      throw new ValidationError('Brand name is required', {
        fields: { name: ['must not be empty'] },
      });
    if (!displayName) {
      throw new ValidationError('Owner display name is required', {
        fields: { 'owner.displayName': ['must not be empty'] },
      });
    }
    assertEmailShape(email, 'owner.email');
    assertPasswordPolicy(input.owner.password, 'owner.password');
    // Hash before opening the transaction: the KDF is deliberately slow.
    const passwordHash = await this.hasher.hash(input.owner.password);

    return this.db.transaction(async (trx) => {
      const brand = await this.brands.insert({ slug, name }, trx);
      if (!brand) throw new BrandSlugTakenError(slug);
      const owner = await this.staff.insert(
        brand.id,
        { email, displayName, role: 'owner', passwordHash },
        trx,
      );
      // A brand that did not exist a moment ago has no staff yet: only a bug could collide here.
      if (!owner) throw new Error(`owner insert conflicted in new brand ${brand.id}`);
      await this.audit.insert(
        brand.id,
        {
          actor,
          action: 'brand.created',
          target: { type: 'brand', id: brand.id },
          details: { slug, ownerId: owner.id },
        },
        trx,
      );
      return { brand, owner };
    }, tx);
  }

  async getBySlug(slug: string): Promise<Brand> {
    const brand = isValidBrandSlug(slug) ? await this.brands.findBySlug(slug) : null;
    if (!brand) throw new BrandNotFoundError();
    return brand;
  }
}
