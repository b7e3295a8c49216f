import type { DomainError } from '@app/common';
import {
  MAX_IMAGES,
  assertBody,
  assertImageUrls,
  buildPoll,
  contentTextHash,
  isAcceptableImageUrl,
  normaliseContentText,
  pollIsClosed,
} from './post-content';

const fieldsOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return (error as DomainError).details?.fields;
  }
  throw new Error('expected a validation error');
};

describe('duplicate-text normalisation', () => {
  it('folds case, width and whitespace so trivial variants hash the same', () => {
    expect(normaliseContentText('  Buy   NOW\n\tcheap ')).toBe('buy now cheap');
    expect(contentTextHash('ＢＵＹ now')).toBe(contentTextHash('buy   NOW'));
    expect(contentTextHash('buy now')).not.toBe(contentTextHash('buy now!'));
    expect(contentTextHash('x')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('image URLs', () => {
  it.each([
    ['https://cdn.example.com/a.jpg', true],
    ['https://localhost/a.png', true],
    ['http://cdn.example.com/a.jpg', false],
    ['javascript:alert(1)', false],
    ['data:image/png;base64,AAAA', false],
    ['https://user:pw@cdn.example.com/a.jpg', false],
    ['//cdn.example.com/a.jpg', false],
    [`https://cdn.example.com/${'a'.repeat(2048)}`, false],
  ])('%s → %s', (url, ok) => {
    expect(isAcceptableImageUrl(url)).toBe(ok);
  });

  it(`allows at most ${MAX_IMAGES}`, () => {
    const urls = Array.from({ length: MAX_IMAGES + 1 }, (_, i) => `https://cdn.example.com/${i}`);
    expect(() => assertImageUrls(urls.slice(0, MAX_IMAGES))).not.toThrow();
    expect(fieldsOf(() => assertImageUrls(urls))).toEqual({
      imageUrls: [`must contain at most ${MAX_IMAGES} URLs`],
    });
  });
});

describe('body', () => {
  it('trims and refuses blank or too long text', () => {
    expect(assertBody('  hello  ', 10)).toBe('hello');
    expect(fieldsOf(() => assertBody('   ', 10))).toHaveProperty('body');
    expect(fieldsOf(() => assertBody('x'.repeat(11), 10))).toHaveProperty('body');
  });
});

describe('polls', () => {
  const now = new Date('2026-03-01T12:00:00.000Z');

  it('gives options ids and zero counts', () => {
    const poll = buildPoll({ question: ' Colour? ', options: ['Red', ' Blue '] }, now);
    expect(poll.question).toBe('Colour?');
    expect(poll.options.map((o) => o.text)).toEqual(['Red', 'Blue']);
    expect(new Set(poll.options.map((o) => o.id)).size).toBe(2);
    expect(poll.counts).toEqual(Object.fromEntries(poll.options.map((o) => [o.id, 0])));
    expect(poll.closesAt).toBeNull();
  });

  it('refuses too few, too many, blank or duplicate options and a past closing time', () => {
    expect(fieldsOf(() => buildPoll({ question: 'q', options: ['a'] }, now))).toHaveProperty(
      'options',
    );
    const eleven = Array.from({ length: 11 }, (_, i) => `o${i}`);
    expect(fieldsOf(() => buildPoll({ question: 'q', options: eleven }, now))).toHaveProperty(
      'options',
    );
    expect(fieldsOf(() => buildPoll({ question: 'q', options: ['a', ' '] }, now))).toHaveProperty(
      'options',
    );
    expect(fieldsOf(() => buildPoll({ question: 'q', options: ['A', 'a'] }, now))).toHaveProperty(
      'options',
    );
    expect(
      fieldsOf(() => buildPoll({ question: 'q', options: ['a', 'b'], closesAt: now }, now)),
    ).toHaveProperty('closesAt');
  });

  it('is closed from closesAt on', () => {
    const poll = buildPoll(
      { question: 'q', options: ['a', 'b'], closesAt: new Date(now.getTime() + 1000) },
      now,
    );
    expect(pollIsClosed(poll, now)).toBe(false);
    expect(pollIsClosed(poll, new Date(now.getTime() + 1000))).toBe(true);
  });
});
