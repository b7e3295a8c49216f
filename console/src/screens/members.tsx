import { type FormEvent, useState } from 'react';
import { money, percent } from '../api';
import { navigate } from '../router';
import { useApi } from '../use-api';

interface Member {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  createdAt: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function MembersScreen({ memberId }: { memberId: string | null }) {
  const [lookup, setLookup] = useState(memberId ?? '');
  const recent = useApi<{ items: Member[] }>(memberId ? null : '/v1/members?limit=20');

  function open(e: FormEvent) {
    e.preventDefault();
    if (UUID.test(lookup.trim())) navigate(`/members/${lookup.trim()}`);
  }

  return (
    <section aria-labelledby="mem-title">
      <h1 id="mem-title">Member lookup</h1>
      <form className="row" onSubmit={open} aria-label="Find a member">
        <label>
          Member id
          <input value={lookup} onChange={(e) => setLookup(e.target.value)} placeholder="UUID" />
        </label>
        <button type="submit">Open member</button>
      </form>
      {memberId ? (
        <MemberDetail id={memberId} />
      ) : (
        <>
          <h2>Newest members</h2>
          {recent.error && (
            <p role="alert" className="error">
              {recent.error}
            </p>
          )}
          <ul className="plain">
            {(recent.data?.items ?? []).map((m) => (
              <li key={m.id}>
                <a
                  href={`/console/members/${m.id}`}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(`/members/${m.id}`);
                  }}
                >
                  {[m.firstName, m.lastName].filter(Boolean).join(' ') || m.email || m.id}
                </a>{' '}
                <span className="muted">{m.email}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

interface Points {
  balance: number;
  pending: number;
  debt: number;
  lifetimeEarned: number;
}
interface LedgerEntry {
  id: string;
  kind: string;
  amount: number;
  reason: string;
  createdAt: string;
}
interface Tier {
  tier: { code: string; name: string } | null;
}
interface Prediction {
  nextPurchaseAt: string | null;
  p7: number;
  p28: number;
  pAlive: number;
  clv12mMinor: number;
}
interface PredictionLookup {
  scored: boolean;
  prediction: Prediction | null;
}
interface Recommendation {
  productId: string;
  name: string | null;
  category: string | null;
  score: number;
  reason: { kind: string; text: string };
}
interface Recommendations {
  available: boolean;
  strategy: 'personalised' | 'cold_start' | null;
  items: Recommendation[];
}

function MemberDetail({ id }: { id: string }) {
  const member = useApi<Member>(`/v1/members/${id}`);
  const points = useApi<Points>(member.data ? `/v1/members/${id}/points` : null);
  const ledger = useApi<{ items: LedgerEntry[] }>(
    member.data ? `/v1/members/${id}/points/ledger?limit=20` : null,
  );
  // Asked only when the brand has tiers: without a programme the member endpoint answers 404.
  const tiers = useApi<{ items: unknown[] }>(member.data ? '/v1/loyalty/tiers' : null);
  const tier = useApi<Tier>(tiers.data?.items.length ? `/v1/members/${id}/tier` : null);
  // The lookup variant answers an unscored member with `scored: false` instead of a 404, which
  // the browser would log as a console error.
  const lookup = useApi<PredictionLookup>(
    member.data ? `/v1/members/${id}/predictions/latest` : null,
  );
  const prediction = lookup.data?.prediction ?? null;
  // The api answers 200 `available: false` when the recommender is down, for the same reason.
  const recommendations = useApi<Recommendations>(
    member.data ? `/v1/members/${id}/recommendations?limit=10` : null,
  );
  if (member.error)
    return (
      <p role="alert" className="error">
        {member.error}
      </p>
    );
  if (!member.data) return <p className="muted">Loading…</p>;
  const m = member.data;
  return (
    <div className="grid2">
      <article aria-label="Profile">
        <h2>{[m.firstName, m.lastName].filter(Boolean).join(' ') || 'Member'}</h2>
        <dl>
          <dt>Email</dt>
          <dd>{m.email ?? '—'}</dd>
          <dt>Member since</dt>
          <dd>{new Date(m.createdAt).toLocaleDateString()}</dd>
          <dt>Tier</dt>
          <dd>
            {tier.data?.tier?.name ?? (tiers.data?.items.length === 0 ? 'No tier programme' : '—')}
          </dd>
          <dt>Points</dt>
          <dd>
            {points.data
              ? `${points.data.balance} available, ${points.data.pending} pending, ${points.data.lifetimeEarned} earned in total`
              : '—'}
          </dd>
        </dl>
      </article>
      <article aria-label="Predictions">
        <h2>Predictions</h2>
        {prediction ? (
          <dl>
            <dt>Next purchase</dt>
            <dd>
              {prediction.nextPurchaseAt
                ? new Date(prediction.nextPurchaseAt).toLocaleDateString()
                : '—'}
            </dd>
            <dt>Buys within 7 / 28 days</dt>
            <dd>
              {percent(prediction.p7)} / {percent(prediction.p28)}
            </dd>
            <dt>Still active</dt>
            <dd>{percent(prediction.pAlive)}</dd>
            <dt>CLV (12 months)</dt>
            <dd>{money(prediction.clv12mMinor)}</dd>
          </dl>
        ) : (
          <p className="muted" data-testid="prediction-state">
            {lookup.error
              ? `Predictions unavailable: ${lookup.error}`
              : lookup.data
                ? 'Not scored yet: predictions come after the member’s first paid order.'
                : 'Loading…'}
          </p>
        )}
      </article>
      <article aria-label="Recommendations">
        <h2>Recommendations</h2>
        <RecommendationList state={recommendations} />
      </article>
      <article aria-label="Points ledger" className="wide">
        <h2>Points ledger</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Kind</th>
              <th scope="col">Points</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {(ledger.data?.items ?? []).map((e) => (
              <tr key={e.id}>
                <td>{new Date(e.createdAt).toLocaleString()}</td>
                <td>{e.kind}</td>
                <td>{e.amount}</td>
                <td>{e.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </article>
    </div>
  );
}

function RecommendationList({
  state,
}: {
  state: { data: Recommendations | null; error: string | null; reload: () => void };
}) {
  if (state.error)
    return (
      <p className="muted" data-testid="recommendations-state">
        Recommendations unavailable: {state.error}
      </p>
    );
  if (!state.data)
    return (
      <p className="muted" data-testid="recommendations-state">
        Loading…
      </p>
    );
  if (!state.data.available)
    return (
      <p className="muted" data-testid="recommendations-state">
        Recommendations unavailable: the recommender did not answer.{' '}
        <button type="button" onClick={state.reload}>
          Try again
        </button>
      </p>
    );
  if (!state.data.items.length)
    return (
      <p className="muted" data-testid="recommendations-state">
        Nothing to recommend yet: the brand has no orders to learn from.
      </p>
    );
  return (
    <>
      <p className="muted" data-testid="recommendations-state">
        {state.data.strategy === 'cold_start'
          ? 'No purchases yet: popular products.'
          : 'Personalised from this member’s purchases.'}
      </p>
      <table aria-label="Recommended products">
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col">Score</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {state.data.items.map((item) => (
            <tr key={item.productId}>
              <th scope="row">
                {item.name ?? item.productId}
                {item.category && <span className="muted"> · {item.category}</span>}
              </th>
              <td>{item.score.toFixed(3)}</td>
              <td>{item.reason.text}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
