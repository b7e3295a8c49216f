import { createHash, randomBytes } from 'node:crypto';
import { ValidationError } from '@app/common';
import type { PollDefinition } from '@app/db';

export const POST_BODY_MAX = 5000;
export const COMMENT_BODY_MAX = 2000;
export const MAX_IMAGES = 9;
export const MAX_PRODUCT_TAGS = 10;
export const MAX_IMAGE_URL_LENGTH = 2048;
export const POLL_OPTIONS_MIN = 2;
export const POLL_OPTIONS_MAX = 10;

/**
 * The text duplicate detection compares: Unicode-compatibility folded (full-width → ASCII),
 * lower-cased, whitespace runs collapsed and trimmed — so trivial variations of one spam text match.
 */
export function normaliseContentText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

export function contentTextHash(text: string): string {
  return createHash('sha256').update(normaliseContentText(text)).digest('hex');
}

/** https only, a host, no credentials, bounded length; anything else is refused before storage. */
export function isAcceptableImageUrl(value: string): boolean {
  if (value.length > MAX_IMAGE_URL_LENGTH) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return url.protocol === 'https:' && url.hostname.length > 0 && !url.username && !url.password;
}

export function assertImageUrls(urls: string[]): void {
  const bad = urls.filter((u) => !isAcceptableImageUrl(u));
  if (urls.length > MAX_IMAGES || bad.length)
    throw new ValidationError('Invalid image URLs', {
      fields: {
        imageUrls: [
          ...(urls.length > MAX_IMAGES ? [`must contain at most ${MAX_IMAGES} URLs`] : []),
          ...(bad.length ? ['must be https URLs with a host and no credentials'] : []),
        ],
      },
    });
}

/** Body length after trimming: blank text is not a post. */
export function assertBody(body: string, max: number): string {
  const trimmed = body.trim();
  if (!trimmed.length || trimmed.length > max)
    throw new ValidationError('Invalid body', {
      fields: { body: [`must be 1–${max} characters (not blank)`] },
    });
  return trimmed;
}

export interface PollInput {
  question: string;
  options: string[];
  closesAt?: Date | null;
}

/** A stored poll: options get short random ids, counts start at zero; closesAt must be ahead. */
export function buildPoll(input: PollInput, now: Date): PollDefinition {
  const fields: Record<string, string[]> = {};
  const options = input.options.map((o) => o.trim());
  if (!input.question.trim()) fields.question = ['must not be blank'];
  if (options.length < POLL_OPTIONS_MIN || options.length > POLL_OPTIONS_MAX)
    fields.options = [`must have ${POLL_OPTIONS_MIN}–${POLL_OPTIONS_MAX} options`];
  else if (options.some((o) => !o)) fields.options = ['must not be blank'];
  else if (new Set(options.map((o) => normaliseContentText(o))).size !== options.length)
    fields.options = ['must be distinct'];
  if (input.closesAt && input.closesAt.getTime() <= now.getTime())
    fields.closesAt = ['must be in the future'];
  if (Object.keys(fields).length) throw new ValidationError('Invalid poll', { fields });
  const withIds = options.map((text) => ({ id: randomBytes(4).toString('hex'), text }));
  return {
    question: input.question.trim(),
    options: withIds,
    closesAt: input.closesAt?.toISOString() ?? null,
    counts: Object.fromEntries(withIds.map((o) => [o.id, 0])),
  };
}

export function pollIsClosed(poll: PollDefinition, now: Date): boolean {
  return poll.closesAt !== null && new Date(poll.closesAt).getTime() <= now.getTime();
}
