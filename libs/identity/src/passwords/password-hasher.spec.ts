import { PasswordHasher } from './password-hasher';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher(1024);

  it('verifies the right password and rejects a wrong one', async () => {
    const encoded = await hasher.hash('correct horse battery staple');
    expect(encoded).toMatch(/^scrypt\$1024\$8\$1\$/);
    await expect(hasher.verify('correct horse battery staple', encoded)).resolves.toBe(true);
    await expect(hasher.verify('correct horse battery stapler', encoded)).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hasher.hash('same')).not.toEqual(await hasher.hash('same'));
  });

  it('rejects malformed hashes instead of throwing', async () => {
    await expect(hasher.verify('x', 'not-a-hash')).resolves.toBe(false);
  });

  it('verifies hashes made at another cost and flags them for rehash', async () => {
    const old = await new PasswordHasher(2048).hash('pw');
    await expect(hasher.verify('pw', old)).resolves.toBe(true);
    expect(hasher.needsRehash(old)).toBe(true);
  });
});
