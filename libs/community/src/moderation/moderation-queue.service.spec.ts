import { EXCERPT_LENGTH, excerpt } from './moderation-queue.service';

describe('queue excerpt', () => {
  it('keeps short text whole', () => {
    expect(excerpt('short')).toEqual({ text: 'short', truncated: false });
  });

  it('cuts long text at a code point, never inside a surrogate pair', () => {
    const text = '😀'.repeat(EXCERPT_LENGTH + 1);
    const shown = excerpt(text);
    expect(shown.truncated).toBe(true);
    expect(Array.from(shown.text)).toHaveLength(EXCERPT_LENGTH);
    expect(shown.text).toBe('😀'.repeat(EXCERPT_LENGTH));
  });
});
