import { encodeCursor } from '@app/common';
import { encodePosition } from '@app/identity';
import { decodeFeedCursor, encodeFeedCursor } from './feed-cursor';

const ID = '3f0c1b8e-59a5-4c1e-9d56-1b2c3d4e5f60';

describe('feed cursors', () => {
  it('round-trips a hot position exactly (scores are doubles)', () => {
    const score = 39386.70471616735;
    const cursor = encodeFeedCursor({ sort: 'hot', after: { score, id: ID } });
    expect(decodeFeedCursor('hot', cursor)).toEqual({ sort: 'hot', after: { score, id: ID } });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('round-trips a new position with microseconds', () => {
    const after = { at: '2026-05-01T10:11:12.123456Z', id: ID };
    expect(decodeFeedCursor('new', encodeFeedCursor({ sort: 'new', after }))).toEqual({
      sort: 'new',
      after,
    });
    expect(decodeFeedCursor('new', encodePosition(after))).toEqual({ sort: 'new', after });
  });

  it('refuses a cursor of the other sort', () => {
    const hot = encodeFeedCursor({ sort: 'hot', after: { score: 1.5, id: ID } });
    const fresh = encodeFeedCursor({
      sort: 'new',
      after: { at: '2026-05-01T10:11:12.123456Z', id: ID },
    });
    expect(() => decodeFeedCursor('new', hot)).toThrow('Invalid cursor');
    expect(() => decodeFeedCursor('hot', fresh)).toThrow('Invalid cursor');
  });

  it.each([
    ['garbage', 'not-base64-json'],
    ['a string score', encodeCursor({ s: 'hot', h: '1.5', id: ID })],
    ['a non-uuid id', encodeCursor({ s: 'hot', h: 1.5, id: '1; drop table posts' })],
    ['a wrong tag', encodeCursor({ s: 'new', h: 1.5, id: ID })],
  ])('refuses %s', (_what, cursor) => {
    expect(() => decodeFeedCursor('hot', cursor)).toThrow('Invalid cursor');
  });
});
