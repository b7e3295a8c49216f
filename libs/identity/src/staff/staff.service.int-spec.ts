import type { TestingModule } from '@nestjs/testing';
import { and, eq } from 'drizzle-orm';
import { ValidationError } from '@app/common';
import { auditLog, brands, refreshTokens, staffUsers } from '@app/db';
import { createTestContext, type TestContext } from '@app/testing';
import {
  DEFAULT_PASSWORD,
  createBrandWithOwner,
  createIdentityTestingModule,
  uniqueEmail,
  uniqueSlug,
} from '../../../../test/support/factories';
import { AuthService } from '../auth/auth.service';
import { BrandsService } from '../brands/brands.service';
import {
  AccountDisabledError,
  BrandSlugTakenError,
  CannotDisableSelfError,
  InvalidCredentialsError,
  InvalidTokenError,
  StaffEmailTakenError,
  StaffNotFoundError,
} from '../identity.errors';
import { PasswordHasher } from '../passwords/password-hasher';
import type { StaffActor } from '../principal';
import { StaffService } from './staff.service';

describe('brands, staff and staff authentication (Postgres)', () => {
  let ctx: TestContext;
  let moduleRef: TestingModule;
  let brandsService: BrandsService;
  let staff: StaffService;
  let auth: AuthService;

  beforeAll(async () => {
    ctx = await createTestContext();
    moduleRef = await createIdentityTestingModule(ctx);
    brandsService = moduleRef.get(BrandsService);
    staff = moduleRef.get(StaffService);
    auth = moduleRef.get(AuthService);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await ctx?.close();
  });

  describe('createBrandWithOwner', () => {
    it('creates the brand, its owner (hashed password) and an audit entry in one go', async () => {
      const slug = uniqueSlug();
      const { brand, owner } = await brandsService.createBrandWithOwner(
        {
          slug,
          name: ' Acme ',
          owner: { email: ' Owner@Acme.TEST ', displayName: 'Olive', password: DEFAULT_PASSWORD },
        },
        { type: 'operator', requestId: 'req-brand' },
      );
      expect(brand).toMatchObject({ slug, name: 'Acme' });
      expect(owner).toMatchObject({
        brandId: brand.id,
        email: 'owner@acme.test',
        role: 'owner',
        disabledAt: null,
      });
      await expect(
        moduleRef.get(PasswordHasher).verify(DEFAULT_PASSWORD, owner.passwordHash),
      ).resolves.toBe(true);
      const [entry] = await ctx.db.db.select().from(auditLog).where(eq(auditLog.brandId, brand.id));
      expect(entry).toMatchObject({
        actorType: 'operator',
        action: 'brand.created',
        targetId: brand.id,
        requestId: 'req-brand',
      });
    });

    it('refuses a taken slug without leaving a second owner behind', async () => {
      const { brand } = await createBrandWithOwner(brandsService);
      await expect(
        createBrandWithOwner(brandsService, { slug: brand.slug }),
      ).rejects.toBeInstanceOf(BrandSlugTakenError);
      expect(await ctx.db.db.select().from(brands).where(eq(brands.slug, brand.slug))).toHaveLength(
        1,
      );
      expect(
        await ctx.db.db.select().from(staffUsers).where(eq(staffUsers.brandId, brand.id)),
      ).toHaveLength(1);
    });

    it('validates input for callers that bypass HTTP validation (the CLI)', async () => {
      await expect(
        createBrandWithOwner(brandsService, { slug: 'Not A Slug' }),
      ).rejects.toBeInstanceOf(ValidationError);
      await expect(
        createBrandWithOwner(brandsService, { ownerEmail: 'nope' }),
      ).rejects.toBeInstanceOf(ValidationError);
    });
  });

  describe('staff management', () => {
    let actor: StaffActor;
    let slug: string;

    beforeAll(async () => {
      const fixture = await createBrandWithOwner(brandsService);
      actor = { brandId: fixture.brand.id, id: fixture.owner.id, requestId: 'req-staff' };
      slug = fixture.brand.slug;
    });

    it('creates staff with an audit entry and refuses a duplicate email in any case', async () => {
      const email = uniqueEmail('mod');
      const created = await staff.create(actor, {
        email,
        displayName: 'Mo',
        role: 'moderator',
        password: DEFAULT_PASSWORD,
      });
      expect(created).toMatchObject({ email, role: 'moderator' });
      await expect(
        staff.create(actor, {
          email: email.toUpperCase(),
          displayName: 'Mo 2',
          role: 'marketer',
          password: DEFAULT_PASSWORD,
        }),
      ).rejects.toBeInstanceOf(StaffEmailTakenError);
      const entries = await ctx.db.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.brandId, actor.brandId), eq(auditLog.action, 'staff.created')));
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        actorId: actor.id,
        targetId: created.id,
        details: { role: 'moderator' },
        requestId: 'req-staff',
      });
    });

    it('disabling revokes sessions, blocks login and current access tokens; only once audited', async () => {
      const email = uniqueEmail('mkt');
      const user = await staff.create(actor, {
        email,
        displayName: 'Mk',
        role: 'marketer',
        password: DEFAULT_PASSWORD,
      });
      const session = await auth.loginStaff({ brandSlug: slug, email, password: DEFAULT_PASSWORD });
      await expect(auth.authenticateAccessToken(session.accessToken)).resolves.toMatchObject({
        principal: { type: 'staff', id: user.id, role: 'marketer' },
      });

      const disabled = await staff.disable(actor, user.id);
      expect(disabled.disabledAt).toBeInstanceOf(Date);
      await staff.disable(actor, user.id);

      const tokens = await ctx.db.db
        .select()
        .from(refreshTokens)
        .where(and(eq(refreshTokens.brandId, actor.brandId), eq(refreshTokens.subjectId, user.id)));
      expect(tokens.length).toBeGreaterThan(0);
      expect(tokens.every((t) => t.revokedAt !== null)).toBe(true);
      await expect(auth.authenticateAccessToken(session.accessToken)).rejects.toBeInstanceOf(
        AccountDisabledError,
      );
      await expect(auth.refresh(session.refreshToken)).rejects.toBeInstanceOf(InvalidTokenError);
      await expect(
        auth.loginStaff({ brandSlug: slug, email, password: DEFAULT_PASSWORD }),
      ).rejects.toBeInstanceOf(InvalidCredentialsError);
      const audits = await ctx.db.db
        .select()
        .from(auditLog)
        .where(
          and(
            eq(auditLog.brandId, actor.brandId),
            eq(auditLog.action, 'staff.disabled'),
            eq(auditLog.targetId, user.id),
          ),
        );
      expect(audits).toHaveLength(1);
    });

    it('does not let an owner disable themselves or staff of another brand', async () => {
      await expect(staff.disable(actor, actor.id)).rejects.toBeInstanceOf(CannotDisableSelfError);
      const other = await createBrandWithOwner(brandsService);
      await expect(staff.disable(actor, other.owner.id)).rejects.toBeInstanceOf(StaffNotFoundError);
      await expect(staff.getById(actor.brandId, other.owner.id)).rejects.toBeInstanceOf(
        StaffNotFoundError,
      );
      expect((await staff.getById(other.brand.id, other.owner.id)).disabledAt).toBeNull();
    });

    it('uses the current role from the database, not the one frozen in the token', async () => {
      const email = uniqueEmail('promo');
      const user = await staff.create(actor, {
        email,
        displayName: 'P',
        role: 'marketer',
        password: DEFAULT_PASSWORD,
      });
      const session = await auth.loginStaff({ brandSlug: slug, email, password: DEFAULT_PASSWORD });
      await ctx.db.db
        .update(staffUsers)
        .set({ role: 'moderator' })
        .where(and(eq(staffUsers.brandId, actor.brandId), eq(staffUsers.id, user.id)));
      await expect(auth.authenticateAccessToken(session.accessToken)).resolves.toMatchObject({
        principal: { role: 'moderator' },
      });
    });
  });

  describe('login', () => {
    let slug: string;
    let ownerEmail: string;

    beforeAll(async () => {
      const fixture = await createBrandWithOwner(brandsService);
      slug = fixture.brand.slug;
      ownerEmail = fixture.owner.email;
    });

    it('answers every failure with the same error: wrong password, unknown email, unknown brand', async () => {
      const failures = await Promise.all([
        auth
          .loginStaff({ brandSlug: slug, email: ownerEmail, password: 'wrong-password' })
          .catch((e: unknown) => e),
        auth
          .loginStaff({ brandSlug: slug, email: uniqueEmail(), password: DEFAULT_PASSWORD })
          .catch((e: unknown) => e),
        auth
          .loginStaff({ brandSlug: 'no-such-brand', email: ownerEmail, password: DEFAULT_PASSWORD })
          .catch((e: unknown) => e),
        auth
          .loginMember({ brandSlug: slug, email: ownerEmail, password: DEFAULT_PASSWORD })
          .catch((e: unknown) => e),
      ]);
      for (const failure of failures) {
        expect(failure).toBeInstanceOf(InvalidCredentialsError);
        expect((failure as InvalidCredentialsError).message).toBe('Invalid credentials');
      }
    });

    it('upgrades a password hash made at an older cost on successful login', async () => {
      const fixture = await createBrandWithOwner(brandsService);
      const weak = await new PasswordHasher(512).hash(DEFAULT_PASSWORD);
      await ctx.db.db
        .update(staffUsers)
        .set({ passwordHash: weak })
        .where(and(eq(staffUsers.brandId, fixture.brand.id), eq(staffUsers.id, fixture.owner.id)));
      await auth.loginStaff({
        brandSlug: fixture.brand.slug,
        email: fixture.owner.email,
        password: DEFAULT_PASSWORD,
      });
      const [row] = await ctx.db.db
        .select()
        .from(staffUsers)
        .where(and(eq(staffUsers.brandId, fixture.brand.id), eq(staffUsers.id, fixture.owner.id)));
      expect(row.passwordHash).toMatch(new RegExp(`^scrypt\\$${ctx.config.auth.scryptCost}\\$`));
    });
  });
});
