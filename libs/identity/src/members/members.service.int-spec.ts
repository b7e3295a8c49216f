import type { TestingModule } from '@nestjs/testing';
import { and, eq, sql } from 'drizzle-orm';
import { ValidationError } from '@app/common';
import { members, outboxMessages } from '@app/db';
import { createTestContext, type TestContext } from '@app/testing';
import {
  DEFAULT_PASSWORD,
  createBrandWithOwner,
  createIdentityTestingModule,
  uniqueEmail,
} from '../../../../test/support/factories';
import { BrandsService } from '../brands/brands.service';
import { IdentityTopics } from '../identity.events';
import {
  IdentityErrorCode,
  MemberContactRequiredError,
  MemberContactTakenError,
  MemberNotFoundError,
  UnknownReferralCodeError,
} from '../identity.errors';
import { PasswordHasher } from '../passwords/password-hasher';
import { MembersRepository } from './members.repository';
import { MembersService } from './members.service';

describe('MembersService (Postgres)', () => {
  let ctx: TestContext;
  let moduleRef: TestingModule;
  let service: MembersService;
  let brandA: string;
  let brandB: string;
  let slugA: string;

  const outboxFor = (brandId: string, memberId?: string) =>
    ctx.db.db
      .select()
      .from(outboxMessages)
      .where(
        and(
          eq(outboxMessages.brandId, brandId),
          memberId ? eq(outboxMessages.key, `member:${memberId}`) : undefined,
        ),
      );
  const countMembers = async (brandId: string) =>
    (
      await ctx.db.db
        .select({ n: sql<number>`count(*)::int` })
        .from(members)
        .where(eq(members.brandId, brandId))
    )[0].n;

  beforeAll(async () => {
    ctx = await createTestContext();
    moduleRef = await createIdentityTestingModule(ctx);
    service = moduleRef.get(MembersService);
    const brands = moduleRef.get(BrandsService);
    const a = await createBrandWithOwner(brands);
    brandA = a.brand.id;
    slugA = a.brand.slug;
    brandB = (await createBrandWithOwner(brands)).brand.id;
  });

  afterAll(async () => {
    await moduleRef?.close();
    await ctx?.close();
  });

  describe('register', () => {
    it('stores the member with a hashed password and writes exactly one member.registered message', async () => {
      const email = uniqueEmail();
      const member = await service.registerInBrand(slugA, {
        email: email.toUpperCase(),
        password: DEFAULT_PASSWORD,
      });

      expect(member).toMatchObject({
        brandId: brandA,
        email,
        referredBy: null,
        profileCompletedAt: null,
      });
      expect(member.referralCode).toMatch(/^[23456789ABCDEFGHJKMNPQRSTVWXYZ]{8}$/);
      expect(member.passwordHash).not.toContain(DEFAULT_PASSWORD);
      await expect(
        moduleRef.get(PasswordHasher).verify(DEFAULT_PASSWORD, member.passwordHash!),
      ).resolves.toBe(true);

      const messages = await outboxFor(brandA, member.id);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatchObject({
        brandId: brandA,
        topic: IdentityTopics.MemberRegistered,
        key: `member:${member.id}`,
        payload: { memberId: member.id, referredBy: null, at: expect.any(String) },
        deliveredAt: null,
      });
    });

    it('links the referrer from a referral code typed in any case, and says so in the event', async () => {
      const referrer = await service.register(brandA, {
        email: uniqueEmail(),
        password: DEFAULT_PASSWORD,
      });
      const typed = `${referrer.referralCode.slice(0, 4).toLowerCase()}-${referrer.referralCode.slice(4)}`;
      const referred = await service.register(brandA, {
        phone: '+447700900001',
        password: DEFAULT_PASSWORD,
        referralCode: typed,
      });
      expect(referred.referredBy).toBe(referrer.id);
      const [message] = await outboxFor(brandA, referred.id);
      expect(message.payload).toMatchObject({ memberId: referred.id, referredBy: referrer.id });
    });

    it('refuses an unknown referral code with a clear 400 and writes nothing', async () => {
      const before = {
        members: await countMembers(brandA),
        outbox: (await outboxFor(brandA)).length,
      };
      const error = await service
        .register(brandA, {
          email: uniqueEmail(),
          password: DEFAULT_PASSWORD,
          referralCode: 'ZZZZZZZZ',
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnknownReferralCodeError);
      expect((error as UnknownReferralCodeError).code).toBe(IdentityErrorCode.UnknownReferralCode);
      expect(await countMembers(brandA)).toBe(before.members);
      expect(await outboxFor(brandA)).toHaveLength(before.outbox);
    });

    it('does not accept a referral code of another brand', async () => {
      const inB = await service.register(brandB, {
        email: uniqueEmail(),
        password: DEFAULT_PASSWORD,
      });
      await expect(
        service.register(brandA, {
          email: uniqueEmail(),
          password: DEFAULT_PASSWORD,
          referralCode: inB.referralCode,
        }),
      ).rejects.toBeInstanceOf(UnknownReferralCodeError);
    });

    it('rejects a duplicate email (case-insensitive) or phone with 409 and no second outbox message', async () => {
      const email = uniqueEmail();
      await service.register(brandA, { email, phone: '+447700900002', password: DEFAULT_PASSWORD });
      const before = (await outboxFor(brandA)).length;

      const byEmail = await service
        .register(brandA, { email: email.toUpperCase(), password: DEFAULT_PASSWORD })
        .catch((e: unknown) => e);
      expect(byEmail).toBeInstanceOf(MemberContactTakenError);
      expect((byEmail as MemberContactTakenError).code).toBe('member_email_taken');

      const byPhone = await service
        .register(brandA, {
          email: uniqueEmail(),
          phone: '+447700900002',
          password: DEFAULT_PASSWORD,
        })
        .catch((e: unknown) => e);
      expect((byPhone as MemberContactTakenError).code).toBe('member_phone_taken');

      expect(await outboxFor(brandA)).toHaveLength(before);
    });

    it('allows the same email in another brand (members are per brand)', async () => {
      const email = uniqueEmail();
      const a = await service.register(brandA, { email, password: DEFAULT_PASSWORD });
      const b = await service.register(brandB, { email, password: DEFAULT_PASSWORD });
      expect(a.id).not.toBe(b.id);
    });

    it('writes member and message in the caller transaction: both vanish when it rolls back', async () => {
      const email = uniqueEmail();
      const before = (await outboxFor(brandA)).length;
      await expect(
        ctx.db.transaction(async (tx) => {
          await moduleRef
            .get(MembersService)
            .register(brandA, { email, password: DEFAULT_PASSWORD }, tx);
          throw new Error('later step failed');
        }),
      ).rejects.toThrow('later step failed');
      expect(await moduleRef.get(MembersRepository).findByEmail(brandA, email)).toBeNull();
      expect(await outboxFor(brandA)).toHaveLength(before);
    });

    it('requires an email or a phone and validates them, birthday and password for non-HTTP callers', async () => {
      await expect(service.register(brandA, { password: DEFAULT_PASSWORD })).rejects.toBeInstanceOf(
        MemberContactRequiredError,
      );
      await expect(
        service.register(brandA, { phone: '0770090000', password: DEFAULT_PASSWORD }),
      ).rejects.toBeInstanceOf(ValidationError);
      await expect(
        service.register(brandA, {
          email: uniqueEmail(),
          password: DEFAULT_PASSWORD,
          birthday: '2999-01-01',
        }),
      ).rejects.toBeInstanceOf(ValidationError);
      await expect(
        service.register(brandA, { email: uniqueEmail(), password: 'short' }),
      ).rejects.toBeInstanceOf(ValidationError);
    });

    it('marks a profile complete at sign-up and publishes profile_completed too', async () => {
      const member = await service.register(brandA, {
        email: uniqueEmail(),
        password: DEFAULT_PASSWORD,
        firstName: 'Ada',
        lastName: 'Lovelace',
        birthday: '1990-12-10',
        profile: { city: 'London', country: 'GB' },
      });
      expect(member.profileCompletedAt).toBeInstanceOf(Date);
      const topics = (await outboxFor(brandA, member.id)).map((m) => m.topic).sort();
      expect(topics).toEqual(
        [IdentityTopics.MemberProfileCompleted, IdentityTopics.MemberRegistered].sort(),
      );
    });
  });

  describe('updateProfile', () => {
    it('merges fields and publishes member.profile_completed exactly once', async () => {
      const member = await service.register(brandA, {
        email: uniqueEmail(),
        password: DEFAULT_PASSWORD,
        firstName: 'Ada',
      });
      const partial = await service.updateProfile(brandA, member.id, {
        lastName: 'Lovelace',
        profile: { city: 'London' },
      });
      expect(partial.profileCompletedAt).toBeNull();
      expect(partial.profile).toEqual({ city: 'London' });

      const complete = await service.updateProfile(brandA, member.id, {
        birthday: '1990-12-10',
        profile: { country: 'GB', interests: ['tea'] },
        consents: { email: true },
      });
      expect(complete.profileCompletedAt).toBeInstanceOf(Date);
      expect(complete.profile).toEqual({ city: 'London', country: 'GB', interests: ['tea'] });
      expect(complete.consents).toEqual({
        email: true,
        sms: false,
        push: false,
        personalisation: false,
      });

      // Clearing and re-completing does not emit again.
      await service.updateProfile(brandA, member.id, { lastName: null });
      const again = await service.updateProfile(brandA, member.id, { lastName: 'L' });
      expect(again.profileCompletedAt).toEqual(complete.profileCompletedAt);

      const completed = (await outboxFor(brandA, member.id)).filter(
        (m) => m.topic === IdentityTopics.MemberProfileCompleted,
      );
      expect(completed).toHaveLength(1);
      expect(completed[0].payload).toEqual({
        memberId: member.id,
        at: complete.profileCompletedAt!.toISOString(),
      });
    });

    it('emits once even when two completing edits race', async () => {
      const member = await service.register(brandA, {
        email: uniqueEmail(),
        password: DEFAULT_PASSWORD,
        firstName: 'Ada',
        lastName: 'Lovelace',
        birthday: '1990-12-10',
      });
      await Promise.all([
        service.updateProfile(brandA, member.id, { profile: { city: 'London', country: 'GB' } }),
        service.updateProfile(brandA, member.id, { profile: { city: 'Paris', country: 'FR' } }),
        service.updateProfile(brandA, member.id, { profile: { city: 'Rome', country: 'IT' } }),
      ]);
      const completed = (await outboxFor(brandA, member.id)).filter(
        (m) => m.topic === IdentityTopics.MemberProfileCompleted,
      );
      expect(completed).toHaveLength(1);
    });

    it('cannot touch a member of another brand', async () => {
      const inB = await service.register(brandB, {
        email: uniqueEmail(),
        password: DEFAULT_PASSWORD,
      });
      await expect(
        service.updateProfile(brandA, inB.id, { firstName: 'Mallory' }),
      ).rejects.toBeInstanceOf(MemberNotFoundError);
      await expect(service.getById(brandA, inB.id)).rejects.toBeInstanceOf(MemberNotFoundError);
      expect((await service.getById(brandB, inB.id)).firstName).toBeNull();
    });
  });

  describe('list', () => {
    it('pages newest first with an opaque cursor, never crossing brands', async () => {
      const brands = moduleRef.get(BrandsService);
      const { brand } = await createBrandWithOwner(brands);
      const created: string[] = [];
      for (let i = 0; i < 5; i += 1) {
        created.push(
          (
            await service.register(brand.id, {
              email: uniqueEmail(`p${i}`),
              password: DEFAULT_PASSWORD,
            })
          ).id,
        );
      }
      await service.register(brandB, { email: uniqueEmail(), password: DEFAULT_PASSWORD });

      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await service.list(brand.id, { limit: 2, cursor });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((m) => m.id));
        cursor = page.nextCursor ?? undefined;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual([...created].reverse());
    });
  });
});

describe('MembersRepository (Postgres)', () => {
  let ctx: TestContext;
  let moduleRef: TestingModule;

  beforeAll(async () => {
    ctx = await createTestContext();
    moduleRef = await createIdentityTestingModule(ctx);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await ctx?.close();
  });

  it('returns null on a referral-code clash and keeps the surrounding transaction usable', async () => {
    const repository = moduleRef.get(MembersRepository);
    const { brand } = await createBrandWithOwner(moduleRef.get(BrandsService));
    const base = { passwordHash: 'x', referralCode: 'ABCDEFGH' };
    await ctx.db.transaction(async (tx) => {
      expect(
        await repository.insert(brand.id, { ...base, email: uniqueEmail() }, tx),
      ).not.toBeNull();
      expect(await repository.insert(brand.id, { ...base, email: uniqueEmail() }, tx)).toBeNull();
      // The failed insert did not abort the transaction: this one still works.
      expect(
        await repository.insert(
          brand.id,
          { ...base, referralCode: 'ABCDEFGJ', email: uniqueEmail() },
          tx,
        ),
      ).not.toBeNull();
    });
  });
});
