import { Inject, Injectable } from '@nestjs/common';
import { type Page, ValidationError } from '@app/common';
import { DatabaseClient, type Executor, type MemberConsents } from '@app/db';
import { OutboxPublisher } from '@app/outbox';
import { assertEmailShape, assertPasswordPolicy } from '../auth/credential-policy';
import { BrandsService } from '../brands/brands.service';
import {
  type MemberProfileCompletedPayload,
  type MemberRegisteredPayload,
  IdentityTopics,
  memberKey,
} from '../identity.events';
import {
  MemberContactRequiredError,
  MemberContactTakenError,
  MemberNotFoundError,
  UnknownReferralCodeError,
} from '../identity.errors';
import { PasswordHasher } from '../passwords/password-hasher';
import { decodePosition, keysetPage, pageSize } from '../persistence/keyset';
import {
  DEFAULT_CONSENTS,
  E164_PATTERN,
  type MemberProfilePatch,
  isProfileComplete,
  isValidBirthday,
  mergeConsents,
  mergeProfile,
  normalizeEmail,
} from './member-profile';
import { type Member, type MemberChanges, MembersRepository } from './members.repository';
import { generateReferralCode, normalizeReferralCode } from './referral-code';

export interface RegisterMemberInput {
  email?: string;
  phone?: string;
  password: string;
  firstName?: string;
  lastName?: string;
  /** ISO date `YYYY-MM-DD`. */
  birthday?: string;
  profile?: MemberProfilePatch;
  consents?: Partial<MemberConsents>;
  /** Referral code of the member who invited this one. */
  referralCode?: string;
}

export interface UpdateMemberProfileInput {
  firstName?: string | null;
  lastName?: string | null;
  birthday?: string | null;
  profile?: MemberProfilePatch;
  consents?: Partial<MemberConsents>;
}

/** Referral codes are random; on the rare collision inside a brand a new one is drawn. */
const REFERRAL_CODE_ATTEMPTS = 5;

@Injectable()
export class MembersService {
  constructor(
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(MembersRepository) private readonly members: MembersRepository,
    @Inject(BrandsService) private readonly brands: BrandsService,
    @Inject(OutboxPublisher) private readonly outbox: OutboxPublisher,
    @Inject(PasswordHasher) private readonly hasher: PasswordHasher,
  ) {}

  /** Public sign-up into the brand named by its slug. */
  async registerInBrand(brandSlug: string, input: RegisterMemberInput): Promise<Member> {
    const brand = await this.brands.getBySlug(brandSlug);
    return this.register(brand.id, input);
  }

  /**
   * Creates the member and its `member.registered` outbox message in one transaction: the event
   * exists if and only if the member does. A profile complete at sign-up also counts as completed.
   */
  async register(brandId: string, input: RegisterMemberInput, tx?: Executor): Promise<Member> {
    const email = input.email === undefined ? null : normalizeEmail(input.email);
    const phone = input.phone === undefined ? null : input.phone.trim();
    if (!email && !phone) throw new MemberContactRequiredError();
    if (email) assertEmailShape(email);
    if (phone && !E164_PATTERN.test(phone)) {
      throw new ValidationError('Invalid phone number', {
        fields: { phone: ['must be in E.164 format, e.g. +14155550123'] },
      });
    }
    if (input.birthday !== undefined) this.assertBirthday(input.birthday);
    assertPasswordPolicy(input.password);
    const passwordHash = await this.hasher.hash(input.password);

    const facts = {
      firstName: input.firstName?.trim() || null,
      lastName: input.lastName?.trim() || null,
      birthday: input.birthday ?? null,
      profile: mergeProfile({}, input.profile ?? {}),
    };
    const consents = mergeConsents(DEFAULT_CONSENTS, input.consents);

    return this.db.transaction(async (trx) => {
      const referredBy =
        input.referralCode === undefined
          ? null
          : await this.referrerOf(brandId, input.referralCode, trx);
      const now = new Date();
      const completedAt = isProfileComplete(facts) ? now : null;
      for (let attempt = 0; attempt < REFERRAL_CODE_ATTEMPTS; attempt += 1) {
        const member = await this.members.insert(
          brandId,
          {
            ...facts,
            email,
            phone,
            passwordHash,
            consents,
            referralCode: generateReferralCode(),
            referredBy,
            profileCompletedAt: completedAt,
          },
          trx,
        );
        if (member) {
          const registered: MemberRegisteredPayload = {
            memberId: member.id,
            referredBy,
            at: now.toISOString(),
          };
          await this.outbox.publish(trx, brandId, {
            topic: IdentityTopics.MemberRegistered,
            key: memberKey(member.id),
            payload: registered,
          });
          if (completedAt) await this.publishProfileCompleted(trx, brandId, member.id, completedAt);
          return member;
        }
        // Which unique key clashed? Email and phone are the caller's problem; a referral code is ours.
        if (email && (await this.members.findByEmail(brandId, email, trx)))
          throw new MemberContactTakenError('email');
        if (phone && (await this.members.findByPhone(brandId, phone, trx)))
          throw new MemberContactTakenError('phone');
      }
      throw new Error(
        `no free referral code after ${REFERRAL_CODE_ATTEMPTS} attempts in brand ${brandId}`,
      );
    }, tx);
  }

  async getById(brandId: string, memberId: string): Promise<Member> {
    const member = await this.members.findById(brandId, memberId);
    if (!member) throw new MemberNotFoundError();
    return member;
  }

  async list(brandId: string, query: { limit?: number; cursor?: string }): Promise<Page<Member>> {
    const limit = pageSize(query.limit);
    const after = query.cursor ? decodePosition(query.cursor) : undefined;
    return keysetPage(await this.members.list(brandId, { limit, after }), limit);
  }

  /**
   * Applies a member's own profile edit. The first time the profile becomes complete,
   * profile_completed_at is set and `member.profile_completed` is published — once, ever.
   */
  async updateProfile(
    brandId: string,
    memberId: string,
    input: UpdateMemberProfileInput,
  ): Promise<Member> {
    if (input.birthday !== undefined && input.birthday !== null)
      this.assertBirthday(input.birthday);
    return this.db.transaction(async (trx) => {
      // Row lock: concurrent edits of the JSON profile must not lose each other's fields.
      const current = await this.members.findById(brandId, memberId, trx, { forUpdate: true });
      if (!current) throw new MemberNotFoundError();
      const changes: MemberChanges = {};
      if (input.firstName !== undefined) changes.firstName = input.firstName?.trim() || null;
      if (input.lastName !== undefined) changes.lastName = input.lastName?.trim() || null;
      if (input.birthday !== undefined) changes.birthday = input.birthday;
      if (input.profile !== undefined)
        changes.profile = mergeProfile(current.profile, input.profile);
      if (input.consents !== undefined)
        changes.consents = mergeConsents(current.consents, input.consents);
      const updated = Object.keys(changes).length
        ? await this.members.update(brandId, memberId, changes, trx)
        : current;
      if (!updated) throw new MemberNotFoundError();
      if (updated.profileCompletedAt || !isProfileComplete(updated)) return updated;
      const at = new Date();
      const completed = await this.members.markProfileCompleted(brandId, memberId, at, trx);
      if (!completed) return updated;
      await this.publishProfileCompleted(trx, brandId, memberId, at);
      return completed;
    });
  }

  private async referrerOf(brandId: string, referralCode: string, tx: Executor): Promise<string> {
    const code = normalizeReferralCode(referralCode);
    const referrer = code ? await this.members.findByReferralCode(brandId, code, tx) : null;
    if (!referrer) throw new UnknownReferralCodeError();
    return referrer.id;
  }

  private async publishProfileCompleted(
    tx: Executor,
    brandId: string,
    memberId: string,
    at: Date,
  ): Promise<void> {
    const payload: MemberProfileCompletedPayload = { memberId, at: at.toISOString() };
    await this.outbox.publish(tx, brandId, {
      topic: IdentityTopics.MemberProfileCompleted,
      key: memberKey(memberId),
      payload,
    });
  }

  private assertBirthday(birthday: string): void {
    if (!isValidBirthday(birthday)) {
      throw new ValidationError('Invalid birthday', {
        fields: {
          birthday: ['must be a real date (YYYY-MM-DD), not in the future and not before 1900'],
        },
      });
    }
  }
}
