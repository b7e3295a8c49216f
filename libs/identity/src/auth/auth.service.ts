import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ValidationError } from '@app/common';
import type { Transaction } from '@app/db';
import { type Brand, BrandsRepository } from '../brands/brands.repository';
import { isValidBrandSlug } from '../brands/brand-slug';
import {
  AccountDisabledError,
  InvalidCredentialsError,
  InvalidTokenError,
} from '../identity.errors';
import { normalizeEmail } from '../members/member-profile';
import { MembersRepository } from '../members/members.repository';
import { PasswordHasher } from '../passwords/password-hasher';
import { StaffRepository } from '../staff/staff.repository';
import { type RefreshClaims, type TokenSubject, principalFromAccessClaims } from './token-claims';
import { type TokenPair, TokensService } from './tokens.service';

export interface MemberLoginInput {
  brandSlug: string;
  email?: string;
  phone?: string;
  password: string;
}

export interface StaffLoginInput {
  brandSlug: string;
  email: string;
  password: string;
}

export type LoginResult = TokenPair & { subject: TokenSubject };

export interface AuthenticatedAccess {
  principal: TokenSubject;
  expiresAt: Date;
}

interface Account {
  brandId: string;
  id: string;
  passwordHash: string | null;
}

@Injectable()
export class AuthService {
  private dummyHash?: Promise<string>;

  constructor(
    @Inject(BrandsRepository) private readonly brands: BrandsRepository,
    @Inject(MembersRepository) private readonly members: MembersRepository,
    @Inject(StaffRepository) private readonly staff: StaffRepository,
    @Inject(TokensService) private readonly tokens: TokensService,
    @Inject(PasswordHasher) private readonly hasher: PasswordHasher,
  ) {}

  async loginMember(input: MemberLoginInput): Promise<LoginResult> {
    const email = input.email === undefined ? undefined : normalizeEmail(input.email);
    const phone = input.phone?.trim();
    if (!email && !phone) {
      throw new ValidationError('An email or a phone number is required', {
        fields: { email: ['email or phone is required'], phone: ['email or phone is required'] },
      });
    }
    const brand = await this.brandOf(input.brandSlug);
    const member = !brand
      ? null
      : email
        ? await this.members.findByEmail(brand.id, email)
        : await this.members.findByPhone(brand.id, phone ?? '');
    const account = await this.checkPassword(member, input.password);
    const subject: TokenSubject = { type: 'member', brandId: account.brandId, id: account.id };
    await this.rehashIfNeeded(account, input.password, (hash) =>
      this.members
        .update(subject.brandId, subject.id, { passwordHash: hash })
        .then(() => undefined),
    );
    return { ...(await this.tokens.issue(subject)), subject };
  }

  async loginStaff(input: StaffLoginInput): Promise<LoginResult> {
    const brand = await this.brandOf(input.brandSlug);
    const user = brand ? await this.staff.findByEmail(brand.id, normalizeEmail(input.email)) : null;
    const account = await this.checkPassword(user, input.password);
    // Checked after the password so a disabled account looks exactly like a wrong password.
    if (account.disabledAt) throw new InvalidCredentialsError();
    const subject: TokenSubject = {
      type: 'staff',
      brandId: account.brandId,
      id: account.id,
      role: account.role,
    };
    await this.rehashIfNeeded(account, input.password, (hash) =>
      this.staff.updatePasswordHash(subject.brandId, subject.id, hash),
    );
    return { ...(await this.tokens.issue(subject)), subject };
  }

  /** Rotates a refresh token; the subject is re-read so a disabled staff user gets no new tokens. */
  refresh(refreshToken: string): Promise<TokenPair> {
    return this.tokens.rotate(refreshToken, (claims, tx) => this.currentSubject(claims, tx));
  }

  logout(refreshToken: string): Promise<void> {
    return this.tokens.revokeFamilyOf(refreshToken);
  }

  /**
   * Authenticates an access token. Member tokens are trusted until they expire (minutes); staff
   * tokens are checked against the staff row on every request, so disabling a staff user or
   * changing their role takes effect immediately (the role used is the current one).
   */
  async authenticateAccessToken(token: string): Promise<AuthenticatedAccess> {
    const claims = await this.tokens.verifyAccessToken(token);
    const principal = principalFromAccessClaims(claims);
    const expiresAt = new Date(claims.exp * 1000);
    if (principal.type === 'member') return { principal, expiresAt };
    const user = await this.staff.findById(principal.brandId, principal.id);
    if (!user) throw new InvalidTokenError();
    if (user.disabledAt) throw new AccountDisabledError();
    return { principal: { ...principal, role: user.role }, expiresAt };
  }

  private async currentSubject(
    claims: RefreshClaims,
    tx: Transaction,
  ): Promise<TokenSubject | null> {
    if (claims.typ === 'member') {
      const member = await this.members.findById(claims.brandId, claims.sub, tx);
      return member ? { type: 'member', brandId: claims.brandId, id: member.id } : null;
    }
    const user = await this.staff.findById(claims.brandId, claims.sub, tx);
    return user && !user.disabledAt
      ? { type: 'staff', brandId: claims.brandId, id: user.id, role: user.role }
      : null;
  }

  private async brandOf(slug: string): Promise<Brand | null> {
    return isValidBrandSlug(slug) ? this.brands.findBySlug(slug) : null;
  }

  /**
   * Verifies the password, or a dummy hash of the same cost when there is no account, so that
   * response time does not reveal whether the brand or the account exists.
   */
  private async checkPassword<T extends Account>(account: T | null, password: string): Promise<T> {
    if (!account?.passwordHash) {
      await this.hasher.verify(password, await this.dummy());
      throw new InvalidCredentialsError();
    }
    if (!(await this.hasher.verify(password, account.passwordHash)))
      throw new InvalidCredentialsError();
    return account;
  }

  private async rehashIfNeeded(
    account: Account,
    password: string,
    save: (hash: string) => Promise<void>,
  ): Promise<void> {
    if (account.passwordHash && this.hasher.needsRehash(account.passwordHash)) {
      await save(await this.hasher.hash(password));
    }
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= this.hasher.hash(randomBytes(16).toString('base64url'));
    return this.dummyHash;
  }
}
