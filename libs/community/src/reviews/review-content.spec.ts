import { ValidationError } from '@app/common';
import { REVIEW_BODY_MAX, screenedText, validateReviewContent } from './review-content';

const fieldsOf = (fn: () => unknown): Record<string, string[]> => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return ((error as ValidationError).details as { fields: Record<string, string[]> }).fields;
  }
  throw new Error('expected a ValidationError');
};

describe('validateReviewContent', () => {
  it('accepts ratings 1 to 5 and trims title and body', () => {
    for (const rating of [1, 2, 3, 4, 5])
      expect(validateReviewContent({ rating, title: '  Great ', body: ' Fits well \n' })).toEqual({
        rating,
        title: 'Great',
        body: 'Fits well',
        photoUrls: [],
      });
  });

  it.each([0, 6, -1, 4.5, Number.NaN])('refuses rating %p', (rating) => {
    expect(Object.keys(fieldsOf(() => validateReviewContent({ rating, body: 'ok' })))).toEqual([
      'rating',
    ]);
  });

  it('refuses a blank or too long body and a too long title, listing every problem', () => {
    const fields = fieldsOf(() =>
      validateReviewContent({ rating: 7, title: 't'.repeat(121), body: '   ' }),
    );
    expect(Object.keys(fields).sort()).toEqual(['body', 'rating', 'title']);
    expect(
      Object.keys(
        fieldsOf(() => validateReviewContent({ rating: 3, body: 'x'.repeat(REVIEW_BODY_MAX + 1) })),
      ),
    ).toEqual(['body']);
  });

  it('accepts at most nine https photo URLs', () => {
    const ok = Array.from({ length: 9 }, (_, i) => `https://cdn.example.test/p/${i}.jpg`);
    expect(validateReviewContent({ rating: 5, body: 'b', photoUrls: ok }).photoUrls).toEqual(ok);
    expect(
      fieldsOf(() => validateReviewContent({ rating: 5, body: 'b', photoUrls: [...ok, ok[0]] }))
        .photoUrls,
    ).toEqual(['must contain at most 9 URLs']);
  });

  it.each([
    'http://cdn.example.test/p.jpg',
    'javascript:alert(1)',
    'data:image/png;base64,AAAA',
    'https://user:pw@cdn.example.test/p.jpg',
    '//cdn.example.test/p.jpg',
    `https://cdn.example.test/${'a'.repeat(2048)}`,
  ])('refuses photo URL %s', (url) => {
    expect(
      fieldsOf(() => validateReviewContent({ rating: 5, body: 'b', photoUrls: [url] })).photoUrls,
    ).toEqual(['must be https URLs with a host and no credentials']);
  });
});

describe('screenedText', () => {
  it('screens title and body together', () => {
    expect(screenedText({ title: 'Title', body: 'Body' })).toBe('Title\nBody');
    expect(screenedText({ title: '', body: 'Body' })).toBe('Body');
  });
});
