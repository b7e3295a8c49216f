import { ValidationError } from '@app/common';
import { MAX_IMAGE_URL_LENGTH, isAcceptableImageUrl } from '../communities/posts/post-content';

export const REVIEW_TITLE_MAX = 120;
export const REVIEW_BODY_MAX = 4000;
export const REVIEW_PHOTOS_MAX = 9;
/** Photos follow the post image rules (https, host, no credentials, bounded length). */
export const PHOTO_URL_MAX = MAX_IMAGE_URL_LENGTH;
export const RATING_MIN = 1;
export const RATING_MAX = 5;

export interface ReviewContentInput {
  rating: number;
  title?: string;
  body: string;
  photoUrls?: string[];
}

export interface ReviewContent {
  rating: number;
  title: string;
  body: string;
  photoUrls: string[];
}

/**
 * Checks and normalises a review (trimmed title and body); throws one ValidationError listing
 * every problem. Also run by the service, so callers other than HTTP get the same rules.
 */
export function validateReviewContent(input: ReviewContentInput): ReviewContent {
  const fields: Record<string, string[]> = {};
  const add = (field: string, message: string) => (fields[field] ??= []).push(message);
  if (!Number.isInteger(input.rating) || input.rating < RATING_MIN || input.rating > RATING_MAX)
    add('rating', `must be an integer from ${RATING_MIN} to ${RATING_MAX}`);
  const title = (input.title ?? '').trim();
  if (title.length > REVIEW_TITLE_MAX)
    add('title', `must be at most ${REVIEW_TITLE_MAX} characters`);
  const body = (input.body ?? '').trim();
  if (!body.length || body.length > REVIEW_BODY_MAX)
    add('body', `must be 1–${REVIEW_BODY_MAX} characters (not blank)`);
  const photoUrls = input.photoUrls ?? [];
  if (photoUrls.length > REVIEW_PHOTOS_MAX)
    add('photoUrls', `must contain at most ${REVIEW_PHOTOS_MAX} URLs`);
  if (photoUrls.some((u) => typeof u !== 'string' || !isAcceptableImageUrl(u)))
    add('photoUrls', 'must be https URLs with a host and no credentials');
  if (Object.keys(fields).length) throw new ValidationError('Invalid review', { fields });
  return { rating: input.rating, title, body, photoUrls };
}

/** The text moderation screens: title and body together, so neither can smuggle a banned word. */
export function screenedText(content: Pick<ReviewContent, 'title' | 'body'>): string {
  return content.title ? `${content.title}\n${content.body}` : content.body;
}
