import { createSecretKey, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '@app/config';
import { DatabaseClient, type Executor, type Transaction } from '@app/db';
import { hexDigestEqual, sha256Hex } from '../crypto/constant-time';
import { InvalidTokenError, RefreshTokenReusedError, TokenExpiredError } from '../identity.errors';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import {
  ACCESS_AUDIENCE,
  type AccessClaims,
  REFRESH_AUDIENCE,
  type RefreshClaims,
  TOKEN_ISSUER,
  type TokenSubject,
  accessTokenPayload,
  parseAccessClaims,
  parseRefreshClaims,
} from './token-claims';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  /** Seconds until the access token expires. */
  expiresIn: number;
  /** Seconds until the refresh token expires (unless rotated or revoked first). */
  refreshExpiresIn: number;
}

/** Looks the subject up again at refresh time: null when it may no longer have sessions. */
export type SubjectResolver = (
  claims: RefreshClaims,
  tx: Transaction,
) => Promise<TokenSubject | null>;

type RotationOutcome =
  | { kind: 'rotated'; pair: TokenPair }
  | { kind: 'invalid' }
  | { kind: 'expired' }
  | { kind: 'reused' };

const ALGORITHM = 'HS256' as const;

/**
 * JWT access tokens (short-lived, stateless) and refresh tokens (JWTs too, but each one is also a
 * row storing only its SHA-256). Every refresh rotates: the presented token is marked rotated and
 * a new one of the same family is issued. Presenting a rotated token again means it was copied,
 * so the whole family is revoked and the legitimate holder must log in again.
 */
/**
 * jsonwebtoken turns a string secret into a KeyObject on every call, first trying (and failing)
 * to parse it as a PEM public key — about a fifth of the CPU of an authenticated request. A
 * KeyObject made once skips that. @nestjs/jwt types `secret` as string | Buffer but hands it to
 * jsonwebtoken unchanged, which accepts a KeyObject.
 */
function hmacKey(secret: string): Buffer {
  return createSecretKey(Buffer.from(secret, 'utf8')) as unknown as Buffer;
}

@Injectable()
export class TokensService {
  private readonly accessKey: Buffer;
  private readonly refreshKey: Buffer;

  constructor(
    @Inject(JwtService) private readonly jwt: JwtService,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(DatabaseClient) private readonly db: DatabaseClient,
    @Inject(RefreshTokensRepository) private readonly refreshTokens: RefreshTokensRepository,
  ) {
    this.accessKey = hmacKey(config.auth.accessSecret);
    this.refreshKey = hmacKey(config.auth.refreshSecret);
  }

  /** Issues an access + refresh pair; `familyId` continues a rotation chain, otherwise starts one. */
  async issue(
    subject: TokenSubject,
    tx?: Executor,
    familyId: string = randomUUID(),
  ): Promise<TokenPair> {
    const { accessTtlSeconds, refreshTtlSeconds } = this.config.auth;
    const id = randomUUID();
    const [accessToken, refreshToken] = await Promise.all([
      this.jwt.signAsync(accessTokenPayload(subject), {
        secret: this.accessKey,
        algorithm: ALGORITHM,
        subject: subject.id,
        audience: ACCESS_AUDIENCE,
        issuer: TOKEN_ISSUER,
        expiresIn: accessTtlSeconds,
      }),
      this.jwt.signAsync(
        { brandId: subject.brandId, typ: subject.type, fam: familyId },
        {
          secret: this.refreshKey,
          algorithm: ALGORITHM,
          subject: subject.id,
          jwtid: id,
          audience: REFRESH_AUDIENCE,
          issuer: TOKEN_ISSUER,
          expiresIn: refreshTtlSeconds,
        },
      ),
    ]);
    await this.refreshTokens.insert(
      subject.brandId,
      {
        id,
        familyId,
        subjectType: subject.type,
        subjectId: subject.id,
        tokenHash: sha256Hex(refreshToken),
        expiresAt: new Date(Date.now() + refreshTtlSeconds * 1000),
      },
      tx,
    );
    return {
      accessToken,
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: accessTtlSeconds,
      refreshExpiresIn: refreshTtlSeconds,
    };
  }

  /** Verifies signature, algorithm, audience, issuer, expiry and claim shape of an access token. */
  async verifyAccessToken(token: string): Promise<AccessClaims> {
    const payload = await this.verify(token, this.accessKey, ACCESS_AUDIENCE);
    const claims = parseAccessClaims(payload);
    if (!claims) throw new InvalidTokenError();
    return claims;
  }

  async verifyRefreshToken(
    token: string,
    options: { ignoreExpiration?: boolean } = {},
  ): Promise<RefreshClaims> {
    const payload = await this.verify(
      token,
      this.refreshKey,
      REFRESH_AUDIENCE,
      options.ignoreExpiration,
    );
    const claims = parseRefreshClaims(payload);
    if (!claims) throw new InvalidTokenError();
    return claims;
  }

  /**
   * Exchanges a refresh token for a new pair. The token row is locked, so two concurrent uses of
   * one token serialise and the second one is treated as re-use. Errors are raised only after the
   * transaction committed, so a detected re-use really revokes the family.
   */
  async rotate(refreshToken: string, resolveSubject: SubjectResolver): Promise<TokenPair> {
    const claims = await this.verifyRefreshToken(refreshToken);
    const outcome = await this.db.transaction<RotationOutcome>(async (trx) => {
      const row = await this.refreshTokens.findByIdForUpdate(claims.brandId, claims.jti, trx);
      if (
        !row ||
        !hexDigestEqual(sha256Hex(refreshToken), row.tokenHash) ||
        row.familyId !== claims.fam
      ) {
        return { kind: 'invalid' };
      }
      if (row.revokedAt) return { kind: 'invalid' };
      const now = new Date();
      if (row.rotatedAt) {
        await this.refreshTokens.revokeFamily(claims.brandId, row.familyId, now, trx);
        return { kind: 'reused' };
      }
      if (row.expiresAt <= now) return { kind: 'expired' };
      const subject = await resolveSubject(claims, trx);
      if (!subject) {
        await this.refreshTokens.revokeFamily(claims.brandId, row.familyId, now, trx);
        return { kind: 'invalid' };
      }
      await this.refreshTokens.markRotated(claims.brandId, row.id, now, trx);
      return { kind: 'rotated', pair: await this.issue(subject, trx, row.familyId) };
    });
    switch (outcome.kind) {
      case 'rotated':
        return outcome.pair;
      case 'reused':
        throw new RefreshTokenReusedError();
      case 'expired':
        throw new TokenExpiredError();
      default:
        throw new InvalidTokenError('Refresh token is not valid');
    }
  }

  /** Logout: revokes the presented token's whole family. Expired tokens may still log out. */
  async revokeFamilyOf(refreshToken: string): Promise<void> {
    const claims = await this.verifyRefreshToken(refreshToken, { ignoreExpiration: true });
    await this.refreshTokens.revokeFamily(claims.brandId, claims.fam, new Date());
  }

  private async verify(
    token: string,
    secret: Buffer,
    audience: string,
    ignoreExpiration = false,
  ): Promise<unknown> {
    try {
      return await this.jwt.verifyAsync<Record<string, unknown>>(token, {
        secret,
        algorithms: [ALGORITHM],
        audience,
        issuer: TOKEN_ISSUER,
        ignoreExpiration,
      });
    } catch (error) {
      if ((error as { name?: string }).name === 'TokenExpiredError') throw new TokenExpiredError();
      throw new InvalidTokenError();
    }
  }
}
