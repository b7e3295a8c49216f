import { isValidBrandSlug } from './brand-slug';

describe('brand slugs', () => {
  it.each(['acme', 'a1', 'north-face', 'x'.repeat(63)])('accepts %s', (slug) => {
    expect(isValidBrandSlug(slug)).toBe(true);
  });

  it.each(['a', 'Acme', '-acme', 'acme-', 'ac--me', 'ac me', 'acmé', 'x'.repeat(64), ''])(
    'rejects "%s"',
    (slug) => {
      expect(isValidBrandSlug(slug)).toBe(false);
    },
  );
});
