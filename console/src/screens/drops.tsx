import { useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import { api, errorText, sessions } from '../api';
import { navigate } from '../router';
import { useApi } from '../use-api';

interface DropView {
  id: string;
  title: string;
  hostName: string;
  status: string;
  /** +1 on every status change: status news with a lower version is older than what we show. */
  version: number;
  startsAt: string;
  endsAt: string;
}

interface StockLine {
  skuId: string;
  available: number;
  version: number;
}

interface ChatMessage {
  id: string;
  dropId: string;
  memberId?: string | null;
  author?: string;
  body: string;
  createdAt?: string;
}

type Ack<T> = ({ ok: true } & T) | { ok: false; error: { code: string; message: string } };

interface Joined {
  drop: DropView;
  stock: StockLine[];
  viewers: number;
}

/** Statuses "End drop now" applies to (the api refuses the others with drops.not_endable). */
const OPEN = ['early_access', 'live', 'sold_out'];

const DONE = {
  schedule: 'Drop scheduled: it goes live at its start time',
  end: 'Drop ended: sales are closed and the report is written',
  cancel: 'Drop cancelled: active holds were returned to stock',
} as const;

/**
 * The room's status after news of `status` at `version`. Status news arrives by the control
 * response and by socket pushes, which can overtake each other: older news is dropped.
 */
function withStatus(joined: Joined | null, status: string, version: number): Joined | null {
  if (!joined || version <= joined.drop.version) return joined;
  return { ...joined, drop: { ...joined.drop, status, version } };
}

export function DropsScreen({ dropId }: { dropId: string | null }) {
  return dropId ? <ControlRoom dropId={dropId} /> : <DropList />;
}

interface DropSku {
  id: string;
  name: string;
  stock: number;
  sold: number;
  priceMinor: number;
}

interface Drop extends DropView {
  skus: DropSku[];
}

function DropList() {
  const { data, error } = useApi<{ items: Drop[] }>('/v1/drops?limit=50');
  return (
    <section aria-labelledby="drops-title">
      <h1 id="drops-title">Drops</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">Drop</th>
            <th scope="col">Status</th>
            <th scope="col">Starts</th>
            <th scope="col">Ends</th>
            <th scope="col">SKUs</th>
          </tr>
        </thead>
        <tbody>
          {data?.items.length === 0 && (
            <tr>
              <td colSpan={5} className="muted">
                No drops yet.
              </td>
            </tr>
          )}
          {(data?.items ?? []).map((d) => (
            <tr key={d.id}>
              <td>
                <a
                  href={`/console/drops/${d.id}`}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(`/drops/${d.id}`);
                  }}
                >
                  {d.title}
                </a>
              </td>
              <td>{d.status}</td>
              <td>{new Date(d.startsAt).toLocaleString()}</td>
              <td>{new Date(d.endsAt).toLocaleString()}</td>
              <td>{d.skus.length}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * The live room as staff sees it: the socket joins `drop:<id>` like a viewer and renders the
 * pushes (stock per SKU, viewers, chat); chat moderation goes through the same socket.
 */
function ControlRoom({ dropId }: { dropId: string }) {
  const [joined, setJoined] = useState<Joined | null>(null);
  const [stock, setStock] = useState<Record<string, number>>({});
  const [viewers, setViewers] = useState(0);
  const [chat, setChat] = useState<ChatMessage[]>([]);
  const [connection, setConnection] = useState('connecting');
  const [failure, setFailure] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const details = useApi<Drop>(`/v1/drops/${dropId}`);
  const socketRef = useRef<Socket | null>(null);
  const versions = useRef<Record<string, number>>({});

  useEffect(() => {
    const session = sessions.get();
    if (!session) return;
    const socket = io({ auth: { token: session.accessToken }, transports: ['websocket'] });
    socketRef.current = socket;
    const applyStock = (lines: StockLine[]) => {
      // Pushes can overtake each other; a lower version is older news.
      const fresh = lines.filter((l) => l.version >= (versions.current[l.skuId] ?? -1));
      for (const l of fresh) versions.current[l.skuId] = l.version;
      if (fresh.length)
        setStock((prev) => ({
          ...prev,
          ...Object.fromEntries(fresh.map((l) => [l.skuId, l.available])),
        }));
    };
    socket.on('session', () => {
      setConnection('connected');
      void (
        socket.timeout(10_000).emitWithAck('drop:join', { dropId }) as Promise<Ack<Joined>>
      ).then(
        (ack) => {
          if (!ack.ok) {
            setFailure(ack.error.message);
            return;
          }
          setJoined(ack);
          setViewers(ack.viewers);
          applyStock(ack.stock);
        },
        (e: unknown) => setFailure(errorText(e)),
      );
    });
    socket.on('disconnect', () => setConnection('reconnecting'));
    socket.on('connect_error', () => setConnection('offline'));
    socket.on('drop.stock', (event: { dropId: string; skus: StockLine[] }) => {
      if (event.dropId === dropId) applyStock(event.skus);
    });
    socket.on(
      'drop.status_changed',
      (event: { payload: { dropId: string; to: string; version: number } }) => {
        if (event.payload.dropId !== dropId) return;
        setJoined((prev) => withStatus(prev, event.payload.to, event.payload.version));
      },
    );
    socket.on('drop.viewers', (event: { dropId: string; viewers: number }) => {
      if (event.dropId === dropId) setViewers(event.viewers);
    });
    socket.on('drop.chat', (message: ChatMessage) => {
      if (message.dropId === dropId) setChat((prev) => [...prev.slice(-199), message]);
    });
    socket.on('drop.chat_deleted', (event: { messageId: string }) => {
      setChat((prev) => prev.filter((m) => m.id !== event.messageId));
    });
    return () => {
      socket.disconnect();
      socketRef.current = null;
    };
  }, [dropId]);

  async function request(event: string, body: Record<string, unknown>, done: string) {
    setFailure(null);
    const socket = socketRef.current;
    if (!socket) return;
    const ack = (await socket
      .timeout(10_000)
      .emitWithAck(event, { dropId, ...body })) as Ack<object>;
    if (ack.ok) setStatus(done);
    else setFailure(ack.error.message);
  }

  async function control(action: 'schedule' | 'end' | 'cancel') {
    setFailure(null);
    try {
      const drop = await api<{ status: string; version: number }>(`/v1/drops/${dropId}/${action}`, {
        method: 'POST',
      });
      setJoined((prev) => withStatus(prev, drop.status, drop.version));
      setStatus(DONE[action]);
    } catch (e) {
      setFailure(errorText(e));
    }
  }

  const skus = Object.keys(stock).sort();
  const skuInfo = Object.fromEntries((details.data?.skus ?? []).map((sku) => [sku.id, sku]));
  return (
    <section aria-labelledby="room-title">
      <h1 id="room-title">{joined ? joined.drop.title : 'Drop control room'}</h1>
      <p>
        <span className={`badge ${connection}`} aria-live="polite">
          {connection}
        </span>{' '}
        {joined && (
          <>
            Status <strong data-testid="drop-status">{joined.drop.status}</strong> · host{' '}
            {joined.drop.hostName} · {new Date(joined.drop.startsAt).toLocaleString()} –{' '}
            {new Date(joined.drop.endsAt).toLocaleString()}
          </>
        )}
      </p>
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      <p aria-live="polite" className="status">
        {status}
      </p>
      <div className="row">
        <button
          type="button"
          onClick={() => void control('schedule')}
          disabled={!joined || joined.drop.status !== 'draft'}
        >
          Start (schedule)
        </button>
        <button
          type="button"
          onClick={() => void control('end')}
          disabled={!joined || !OPEN.includes(joined.drop.status)}
        >
          End drop now
        </button>
        <button
          type="button"
          className="danger"
          onClick={() => void control('cancel')}
          disabled={!joined || ['ended', 'cancelled', 'sold_out'].includes(joined.drop.status)}
        >
          Cancel drop
        </button>
      </div>
      <div className="kpis">
        <div className="kpi" role="group" aria-label="Live viewers">
          <span className="kpi-label">Live viewers</span>
          <span className="kpi-value" data-testid="viewers">
            {viewers}
          </span>
        </div>
      </div>
      <h2>Stock per SKU</h2>
      <table aria-label="Stock per SKU">
        <thead>
          <tr>
            <th scope="col">SKU</th>
            <th scope="col">Name</th>
            <th scope="col">Stock</th>
            <th scope="col">Sold (paid)</th>
            <th scope="col">Available now</th>
          </tr>
        </thead>
        <tbody>
          {skus.map((sku) => (
            <tr key={sku}>
              <th scope="row">{sku}</th>
              <td>{skuInfo[sku]?.name ?? ''}</td>
              <td>{skuInfo[sku]?.stock ?? ''}</td>
              <td>{skuInfo[sku]?.sold ?? ''}</td>
              <td data-testid={`stock-${sku}`}>{stock[sku]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Chat</h2>
      <ol className="chat" aria-label="Chat messages" aria-live="polite">
        {chat.length === 0 && <li className="muted">No messages yet.</li>}
        {chat.map((m) => (
          <li key={m.id}>
            <strong>{m.author ?? 'Member'}</strong> {m.body}{' '}
            <button
              type="button"
              onClick={() =>
                void request('drop:chat:delete', { messageId: m.id }, 'Message deleted')
              }
              aria-label={`Delete message from ${m.author ?? 'member'}`}
            >
              Delete
            </button>
            {m.memberId && (
              <button
                type="button"
                onClick={() =>
                  void request(
                    'drop:mute',
                    {
                      memberId: m.memberId,
                      minutes: 10,
                      messageId: m.id,
                      reason: 'Muted from the control room',
                    },
                    'Author muted for 10 minutes',
                  )
                }
                aria-label={`Mute ${m.author ?? 'member'} for 10 minutes`}
              >
                Mute 10 min
              </button>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
