import { nextChatStatus, nextStatus } from './moderation-transitions';

describe('content action transitions', () => {
  it('approves held or hidden content into published', () => {
    expect(nextStatus('approve', 'held')).toBe('published');
    expect(nextStatus('approve', 'hidden')).toBe('published');
    expect(nextStatus('approve', 'removed')).toBeUndefined();
    expect(nextStatus('approve', 'published')).toBeUndefined();
  });

  it('hides and removes live content, restores taken-down content', () => {
    expect(nextStatus('hide', 'published')).toBe('hidden');
    expect(nextStatus('hide', 'removed')).toBeUndefined();
    expect(nextStatus('remove', 'hidden')).toBe('removed');
    expect(nextStatus('remove', 'removed')).toBeUndefined();
    expect(nextStatus('restore', 'removed')).toBe('published');
    expect(nextStatus('restore', 'published')).toBeUndefined();
  });

  it('never touches content its author deleted, except to dismiss its case', () => {
    for (const action of ['approve', 'hide', 'remove', 'restore'] as const)
      expect(nextStatus(action, 'deleted')).toBeUndefined();
    expect(nextStatus('dismiss', 'deleted')).toBeNull();
    expect(nextStatus('dismiss', 'held')).toBeUndefined();
  });

  it('drop chat: dismiss closes any case, remove only takes a held message down, nothing publishes', () => {
    for (const status of ['held', 'published', 'removed'] as const)
      expect(nextChatStatus('dismiss', status)).toBeNull();
    expect(nextChatStatus('remove', 'held')).toBe('removed');
    expect(nextChatStatus('remove', 'published')).toBeUndefined();
    expect(nextChatStatus('remove', 'removed')).toBeUndefined();
    for (const action of ['approve', 'hide', 'restore'] as const)
      for (const status of ['held', 'published', 'removed'] as const)
        expect(nextChatStatus(action, status)).toBeUndefined();
  });
});
