import { JwtService } from '@nestjs/jwt';
import type { TestingModule } from '@nestjs/testing';
import { and, eq } from 'drizzle-orm';
import { refreshTokens } from '@app/db';
import { createTestContext, type TestContext } from '@app/testing';
import {
  createBrandWithOwner,
  createIdentityTestingModule,
} from '../../../../test/support/factories';
import { BrandsService } from '../brands/brands.service';
import { sha256Hex } from '../crypto/constant-time';
import {
  IdentityErrorCode,
  InvalidTokenError,
  RefreshTokenReusedError,
  TokenExpiredError,
} from '../identity.errors';
import type { StaffPrincipal } from '../principal';
import { ACCESS_AUDIENCE, REFRESH_AUDIENCE, TOKEN_ISSUER, type TokenSubject } from './token-claims';
import { type SubjectResolver, TokensService } from './tokens.service';

describe('TokensService (Postgres)', () => {
  let ctx: TestContext;
  let moduleRef: TestingModule;
  let tokens: TokensService;
  let subject: StaffPrincipal;
  const sameSubject: SubjectResolver = () => Promise.resolve(subject);

  const family = (familyId: string) =>
    ctx.db.db
      .select()
      .from(refreshTokens)
      .where(and(eq(refreshTokens.brandId, subject.brandId), eq(refreshTokens.familyId, familyId)));
  const claimsOf = (token: string) => tokens.verifyRefreshToken(token);

  beforeAll(async () => {
    ctx = await createTestContext();
    moduleRef = await createIdentityTestingModule(ctx);
    tokens = moduleRef.get(TokensService);
    const { brand, owner } = await createBrandWithOwner(moduleRef.get(BrandsService));
    subject = { type: 'staff', brandId: brand.id, id: owner.id, role: 'owner' };
  });

  afterAll(async () => {
    await moduleRef?.close();
    await ctx?.close();
  });

  it('issues an access token with the subject claims and stores only the hash of the refresh token', async () => {
    const pair = await tokens.issue(subject);
    const access = await tokens.verifyAccessToken(pair.accessToken);
    expect(access).toMatchObject({
      sub: subject.id,
      brandId: subject.brandId,
      typ: 'staff',
      role: 'owner',
    });
    expect(pair.expiresIn).toBe(ctx.config.auth.accessTtlSeconds);

    const { fam, jti } = await claimsOf(pair.refreshToken);
    const [row] = await family(fam);
    expect(row).toMatchObject({
      id: jti,
      subjectType: 'staff',
      subjectId: subject.id,
      rotatedAt: null,
      revokedAt: null,
    });
    expect(row.tokenHash).toBe(sha256Hex(pair.refreshToken));
    expect(JSON.stringify(row)).not.toContain(pair.refreshToken);
  });

  it('rotates on every refresh: the old token is marked rotated, the new one continues the family', async () => {
    const first = await tokens.issue(subject);
    const second = await tokens.rotate(first.refreshToken, sameSubject);
    const third = await tokens.rotate(second.refreshToken, sameSubject);
    const fam = (await claimsOf(first.refreshToken)).fam;
    expect((await claimsOf(third.refreshToken)).fam).toBe(fam);

    const rows = await family(fam);
    expect(rows).toHaveLength(3);
    expect(rows.filter((r) => r.rotatedAt !== null)).toHaveLength(2);
    expect(rows.every((r) => r.revokedAt === null)).toBe(true);
    await expect(tokens.verifyAccessToken(third.accessToken)).resolves.toMatchObject({
      sub: subject.id,
    });
  });

  it('treats re-use of a rotated token as theft: revokes the whole family, even the newest token', async () => {
    const first = await tokens.issue(subject);
    const second = await tokens.rotate(first.refreshToken, sameSubject);

    const reuse = await tokens.rotate(first.refreshToken, sameSubject).catch((e: unknown) => e);
    expect(reuse).toBeInstanceOf(RefreshTokenReusedError);
    expect((reuse as RefreshTokenReusedError).code).toBe(IdentityErrorCode.RefreshTokenReused);

    const rows = await family((await claimsOf(first.refreshToken)).fam);
    expect(rows.every((r) => r.revokedAt !== null)).toBe(true);
    await expect(tokens.rotate(second.refreshToken, sameSubject)).rejects.toBeInstanceOf(
      InvalidTokenError,
    );
  });

  it('lets only one of two concurrent refreshes with the same token win; the other revokes the family', async () => {
    const pair = await tokens.issue(subject);
    const results = await Promise.allSettled([
      tokens.rotate(pair.refreshToken, sameSubject),
      tokens.rotate(pair.refreshToken, sameSubject),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected?.reason).toBeInstanceOf(RefreshTokenReusedError);
    const rows = await family((await claimsOf(pair.refreshToken)).fam);
    expect(rows.every((r) => r.revokedAt !== null)).toBe(true);
  });

  it('logout revokes the family', async () => {
    const pair = await tokens.issue(subject);
    await tokens.revokeFamilyOf(pair.refreshToken);
    await expect(tokens.rotate(pair.refreshToken, sameSubject)).rejects.toBeInstanceOf(
      InvalidTokenError,
    );
  });

  it('refuses to refresh for a subject that is gone or disabled, and revokes its family', async () => {
    const pair = await tokens.issue(subject);
    await expect(
      tokens.rotate(pair.refreshToken, () => Promise.resolve(null)),
    ).rejects.toBeInstanceOf(InvalidTokenError);
    const rows = await family((await claimsOf(pair.refreshToken)).fam);
    expect(rows[0].revokedAt).not.toBeNull();
  });

  it('rejects forged refresh tokens: a wrong signature, or a valid signature without a stored row', async () => {
    const pair = await tokens.issue(subject);
    const [header, payload, signature] = pair.refreshToken.split('.');
    const tampered = `${header}.${payload}.${signature.slice(0, -4)}AAAA`;
    await expect(tokens.rotate(tampered, sameSubject)).rejects.toBeInstanceOf(InvalidTokenError);

    // Even someone holding the refresh secret cannot mint a usable refresh token: no row matches its hash.
    const claims = await claimsOf(pair.refreshToken);
    const forged = await moduleRef.get(JwtService).signAsync(
      { brandId: claims.brandId, typ: claims.typ, fam: claims.fam },
      {
        secret: ctx.config.auth.refreshSecret,
        subject: claims.sub,
        jwtid: claims.jti,
        audience: REFRESH_AUDIENCE,
        issuer: TOKEN_ISSUER,
        expiresIn: 60,
        notBefore: 0,
      },
    );
    expect(forged).not.toBe(pair.refreshToken);
    await expect(tokens.rotate(forged, sameSubject)).rejects.toBeInstanceOf(InvalidTokenError);
    // The legitimate token still works.
    await expect(tokens.rotate(pair.refreshToken, sameSubject)).resolves.toMatchObject({
      tokenType: 'Bearer',
    });
  });

  it('rejects expired, mis-signed and wrong-audience access tokens', async () => {
    const jwt = moduleRef.get(JwtService);
    const base = { brandId: subject.brandId, typ: 'staff', role: 'owner' };
    const sign = (secret: string, audience: string, expiresIn: number) =>
      jwt.signAsync(base, {
        secret,
        subject: subject.id,
        audience,
        issuer: TOKEN_ISSUER,
        expiresIn,
      });

    await expect(
      tokens.verifyAccessToken(await sign(ctx.config.auth.accessSecret, ACCESS_AUDIENCE, -10)),
    ).rejects.toBeInstanceOf(TokenExpiredError);
    await expect(
      tokens.verifyAccessToken(await sign('x'.repeat(40), ACCESS_AUDIENCE, 60)),
    ).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(
      tokens.verifyAccessToken(await sign(ctx.config.auth.accessSecret, REFRESH_AUDIENCE, 60)),
    ).rejects.toBeInstanceOf(InvalidTokenError);
    // A refresh token is never accepted as an access token.
    const pair = await tokens.issue(subject);
    await expect(tokens.verifyAccessToken(pair.refreshToken)).rejects.toBeInstanceOf(
      InvalidTokenError,
    );
    // "alg: none" tokens are refused.
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({
        ...base,
        sub: subject.id,
        aud: ACCESS_AUDIENCE,
        iss: TOKEN_ISSUER,
        exp: Math.floor(Date.now() / 1000) + 60,
      }),
    ).toString('base64url')}.`;
    await expect(tokens.verifyAccessToken(unsigned)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('keeps a member subject free of roles', async () => {
    const member: TokenSubject = { type: 'member', brandId: subject.brandId, id: subject.id };
    const pair = await tokens.issue(member);
    const claims = await tokens.verifyAccessToken(pair.accessToken);
    expect(claims.typ).toBe('member');
    expect(claims.role).toBeUndefined();
  });
});
