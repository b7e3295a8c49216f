/** Lower-case letters, digits and inner dashes, 2–63 characters: safe in URLs and hostnames. */
export const BRAND_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])$/;

export function isValidBrandSlug(slug: string): boolean {
  return BRAND_SLUG_PATTERN.test(slug) && !slug.includes('--');
}
