import { randomUUID } from 'node:crypto';
import {
  accessTokenPayload,
  parseAccessClaims,
  parseRefreshClaims,
  principalFromAccessClaims,
} from './token-claims';

describe('token claims', () => {
  const brandId = randomUUID();
  const sub = randomUUID();
  const exp = Math.floor(Date.now() / 1000) + 60;

  it('round-trips a member and a staff subject through the payload', () => {
    const member = { type: 'member' as const, brandId, id: sub };
    const staff = { type: 'staff' as const, brandId, id: sub, role: 'moderator' as const };
    for (const subject of [member, staff]) {
      const claims = parseAccessClaims({ ...accessTokenPayload(subject), sub, exp, iat: exp - 60 });
      expect(claims).not.toBeNull();
      expect(principalFromAccessClaims(claims!)).toEqual(subject);
    }
  });

  it('never puts a role on a member token', () => {
    expect(accessTokenPayload({ type: 'member', brandId, id: sub })).toEqual({
      brandId,
      typ: 'member',
    });
    expect(parseAccessClaims({ sub, brandId, typ: 'member', role: 'owner', exp })).toBeNull();
  });

  it.each([
    ['not an object', 'token'],
    ['missing brand', { sub, typ: 'member', exp }],
    ['brand not a uuid', { sub, brandId: 'acme', typ: 'member', exp }],
    ['subject not a uuid', { sub: "1' or 1=1", brandId, typ: 'member', exp }],
    ['unknown subject type', { sub, brandId, typ: 'operator', exp }],
    ['staff without role', { sub, brandId, typ: 'staff', exp }],
    ['staff with unknown role', { sub, brandId, typ: 'staff', role: 'admin', exp }],
    ['no expiry', { sub, brandId, typ: 'member' }],
  ])('rejects access claims with %s', (_label, payload) => {
    expect(parseAccessClaims(payload)).toBeNull();
  });

  it('requires family and token ids on refresh claims', () => {
    const fam = randomUUID();
    const jti = randomUUID();
    expect(parseRefreshClaims({ sub, brandId, typ: 'staff', fam, jti, exp })).toEqual({
      sub,
      brandId,
      typ: 'staff',
      fam,
      jti,
      exp,
    });
    expect(parseRefreshClaims({ sub, brandId, typ: 'staff', jti, exp })).toBeNull();
    expect(parseRefreshClaims({ sub, brandId, typ: 'staff', fam, jti: 'x', exp })).toBeNull();
    expect(parseRefreshClaims({ sub, brandId, typ: 'robot', fam, jti, exp })).toBeNull();
  });
});
