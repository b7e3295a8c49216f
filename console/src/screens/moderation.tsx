import { useCallback, useEffect, useState } from 'react';
import { api, errorText } from '../api';
import { useApi } from '../use-api';

interface QueueItem {
  caseId: string;
  targetType: 'post' | 'comment' | 'review' | 'chat_message';
  targetId: string;
  reason: string;
  openedAt: string;
  content: { text: string | null; status: string | null };
  author: { id: string; name: string | null };
  community: { id: string; name: string } | null;
  reports: { count: number; reasons: Record<string, number> };
  ruleNames: string[];
}

type Action = 'approve' | 'remove' | 'mute';

const DEFAULT_REASON: Record<Action, string> = {
  approve: 'Approved by a moderator',
  remove: 'Removed: breaks the community rules',
  mute: 'Muted: repeated rule breaking',
};

/** The moderation queue: j/k move, a approves, r removes, m mutes the author for a day. */
export function ModerationScreen() {
  const { data, error, reload } = useApi<{ items: QueueItem[] }>('/v1/moderation/queue?limit=50');
  const items = data?.items ?? [];
  const [index, setIndex] = useState(0);
  const [reason, setReason] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const selected = items[Math.min(index, items.length - 1)] as QueueItem | undefined;

  const act = useCallback(
    async (action: Action, item: QueueItem | undefined) => {
      if (!item) return;
      const why = reason.trim() || DEFAULT_REASON[action];
      setFailure(null);
      try {
        if (action === 'mute') {
          if (!item.community) throw new Error('Only community content can be muted');
          await api('/v1/moderation/sanctions', {
            method: 'POST',
            body: {
              communityId: item.community.id,
              memberId: item.author.id,
              kind: 'mute',
              durationMinutes: 1440,
              reason: why,
            },
          });
          setStatus(`Muted ${item.author.name ?? item.author.id} for 24 h`);
          return;
        }
        // Live chat is not replayed late: approving a chat message closes its case (dismiss).
        const decision =
          item.targetType === 'chat_message' && action === 'approve' ? 'dismiss' : action;
        await api('/v1/moderation/actions', {
          method: 'POST',
          body: {
            action: decision,
            targetType: item.targetType,
            targetId: item.targetId,
            caseId: item.caseId,
            reason: why,
          },
        });
        const done = { approve: 'Approved', dismiss: 'Dismissed', remove: 'Removed' }[decision];
        setStatus(`${done} ${item.targetType} by ${item.author.name ?? 'member'}`);
        setReason('');
        reload();
      } catch (e) {
        setFailure(errorText(e));
      }
    },
    [reason, reload],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
      if (e.metaKey || e.ctrlKey || e.altKey) return;
      if (e.key === 'j') setIndex((i) => Math.min(i + 1, Math.max(items.length - 1, 0)));
      else if (e.key === 'k') setIndex((i) => Math.max(i - 1, 0));
      else if (e.key === 'a') void act('approve', selected);
      else if (e.key === 'r') void act('remove', selected);
      else if (e.key === 'm') void act('mute', selected);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [act, items.length, selected]);

  return (
    <section aria-labelledby="mod-title">
      <h1 id="mod-title">Moderation queue</h1>
      <p className="muted">
        Keys: <kbd>j</kbd>/<kbd>k</kbd> move, <kbd>a</kbd> approve, <kbd>r</kbd> remove,{' '}
        <kbd>m</kbd> mute the author (24 h).
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      <p aria-live="polite" className="status">
        {status}
      </p>
      <div className="split">
        <ol className="queue" aria-label="Open cases">
          {items.length === 0 && <li className="muted">The queue is empty.</li>}
          {items.map((item, i) => (
            <li
              key={item.caseId}
              aria-current={item === selected ? 'true' : undefined}
              className={item === selected ? 'selected' : undefined}
            >
              <button
                type="button"
                onClick={() => setIndex(i)}
                aria-label={`${item.reason} ${item.targetType} by ${item.author.name ?? 'member'}`}
              >
                <span className={`badge ${item.reason}`}>{item.reason}</span> {item.targetType} ·{' '}
                {item.community?.name ?? 'no community'}
                <span className="excerpt">{item.content.text ?? '(content gone)'}</span>
              </button>
            </li>
          ))}
        </ol>
        {selected && (
          <article className="case" aria-label="Selected case">
            <h2>
              {selected.targetType} by {selected.author.name ?? selected.author.id}
            </h2>
            <p className="body">{selected.content.text ?? '(content gone)'}</p>
            <dl>
              <dt>Why it is here</dt>
              <dd>
                {selected.reason}
                {selected.ruleNames.length > 0 && ` — rules: ${selected.ruleNames.join(', ')}`}
              </dd>
              <dt>Reports</dt>
              <dd>
                {selected.reports.count}{' '}
                {Object.entries(selected.reports.reasons)
                  .map(([k, v]) => `${k} ×${v}`)
                  .join(', ')}
              </dd>
              <dt>Opened</dt>
              <dd>{new Date(selected.openedAt).toLocaleString()}</dd>
            </dl>
            <label>
              Reason (shown to the author)
              <input
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                maxLength={500}
                placeholder="Defaults to a standard reason"
              />
            </label>
            <div className="row">
              <button type="button" onClick={() => void act('approve', selected)}>
                Approve (a)
              </button>
              <button type="button" className="danger" onClick={() => void act('remove', selected)}>
                Remove (r)
              </button>
              <button type="button" onClick={() => void act('mute', selected)}>
                Mute author (m)
              </button>
            </div>
          </article>
        )}
      </div>
    </section>
  );
}
