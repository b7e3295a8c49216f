import { type FormEvent, useState } from 'react';
import { api, errorText, money, percent } from '../api';
import { BarChart } from '../charts';
import { navigate } from '../router';
import { useApi } from '../use-api';

interface Campaign {
  id: string;
  name: string;
  status: string;
  trigger: Record<string, unknown>;
  audience: Record<string, unknown>;
  reward: Record<string, unknown>;
  holdoutBp: number;
  attributionDays: number;
  createdAt: string;
}

interface Preview {
  audienceSize: number;
  expectedTreated: number;
  expectedHoldout: number;
  expectedCostMinor: number;
  expectedPoints: number;
  budgetPoints: number | null;
  offersWithinBudget: number | null;
}

interface Arm {
  members: number;
  units: number;
  converted: number;
  conversionRate: number | null;
  revenueMinor: number;
}

interface Results {
  treatment: Arm;
  holdout: Arm;
  uplift: { estimate: number; low: number; high: number; pValue: number } | null;
  roi: number | null;
  cost: { totalMinor: number };
}

const TRIGGERS = [
  { type: 'days_since_last_purchase', label: 'Days since last purchase' },
  { type: 'purchase_window', label: 'Predicted purchase window' },
  { type: 'birthday', label: 'Birthday' },
  { type: 'points_expiring', label: 'Points expiring' },
  { type: 'review_approved', label: 'Review approved' },
];
const STAGES = ['new', 'active', 'at_risk', 'dormant', 'churned'];

export function CampaignsScreen({ campaignId }: { campaignId: string | null }) {
  return campaignId ? <CampaignDetail id={campaignId} /> : <CampaignBuilder />;
}

function CampaignBuilder() {
  const list = useApi<{ items: Campaign[] }>('/v1/campaigns?limit=50');
  const [name, setName] = useState('');
  const [trigger, setTrigger] = useState('days_since_last_purchase');
  const [days, setDays] = useState('30');
  const [stages, setStages] = useState<string[]>([]);
  const [points, setPoints] = useState('100');
  const [budget, setBudget] = useState('10000');
  const [holdout, setHoldout] = useState('10');
  const [failure, setFailure] = useState<string | null>(null);

  async function create(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
    try {
      const created = await api<Campaign>('/v1/campaigns', {
        method: 'POST',
        body: {
          name,
          trigger:
            trigger === 'days_since_last_purchase'
              ? { type: trigger, days: Number(days) }
              : { type: trigger },
          audience: stages.length ? { lifecycle: stages } : {},
          reward: { type: 'points', points: Number(points) },
          caps: { budgetPoints: Number(budget) },
          holdoutBp: Math.round(Number(holdout) * 100),
        },
      });
      navigate(`/campaigns/${created.id}`);
    } catch (err) {
      setFailure(errorText(err));
    }
  }

  return (
    <section aria-labelledby="camp-title">
      <h1 id="camp-title">Campaigns</h1>
      {list.error && (
        <p role="alert" className="error">
          {list.error}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">Campaign</th>
            <th scope="col">Status</th>
            <th scope="col">Trigger</th>
            <th scope="col">Holdout</th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.items ?? []).map((c) => (
            <tr key={c.id}>
              <td>
                <a
                  href={`/console/campaigns/${c.id}`}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(`/campaigns/${c.id}`);
                  }}
                >
                  {c.name}
                </a>
              </td>
              <td>{c.status}</td>
              <td>{String(c.trigger.type)}</td>
              <td>{percent(c.holdoutBp / 10_000)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>New campaign</h2>
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      <form className="stack" onSubmit={(e) => void create(e)} aria-label="New campaign">
        <label>
          Campaign name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} />
        </label>
        <label>
          Trigger
          <select value={trigger} onChange={(e) => setTrigger(e.target.value)}>
            {TRIGGERS.map((t) => (
              <option key={t.type} value={t.type}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        {trigger === 'days_since_last_purchase' && (
          <label>
            Days without a purchase
            <input type="number" min={1} value={days} onChange={(e) => setDays(e.target.value)} />
          </label>
        )}
        <fieldset>
          <legend>Audience: lifecycle stages (none = every member)</legend>
          {STAGES.map((stage) => (
            <label key={stage} className="inline">
              <input
                type="checkbox"
                checked={stages.includes(stage)}
                onChange={(e) =>
                  setStages(
                    e.target.checked ? [...stages, stage] : stages.filter((s) => s !== stage),
                  )
                }
              />
              {stage}
            </label>
          ))}
        </fieldset>
        <label>
          Reward: points per offer
          <input
            type="number"
            min={1}
            value={points}
            onChange={(e) => setPoints(e.target.value)}
            required
          />
        </label>
        <label>
          Budget (points)
          <input
            type="number"
            min={1}
            value={budget}
            onChange={(e) => setBudget(e.target.value)}
            required
          />
        </label>
        <label>
          Holdout (%)
          <input
            type="number"
            min={1}
            max={50}
            value={holdout}
            onChange={(e) => setHoldout(e.target.value)}
            required
          />
        </label>
        <button type="submit">Create draft and preview</button>
      </form>
    </section>
  );
}

function CampaignDetail({ id }: { id: string }) {
  const campaign = useApi<Campaign>(`/v1/campaigns/${id}`);
  const preview = useApi<Preview>(`/v1/campaigns/${id}/preview`);
  const results = useApi<Results>(
    campaign.data && campaign.data.status !== 'draft' ? `/v1/campaigns/${id}/results` : null,
  );
  const [failure, setFailure] = useState<string | null>(null);

  async function act(action: 'launch' | 'pause' | 'resume' | 'end') {
    setFailure(null);
    try {
      await api(`/v1/campaigns/${id}/${action}`, { method: 'POST' });
      campaign.reload();
      results.reload();
    } catch (err) {
      setFailure(errorText(err));
    }
  }

  const c = campaign.data;
  return (
    <section aria-labelledby="campd-title">
      <p>
        <a
          href="/console/campaigns"
          onClick={(e) => {
            e.preventDefault();
            navigate('/campaigns');
          }}
        >
          ← All campaigns
        </a>
      </p>
      <h1 id="campd-title">{c ? c.name : 'Campaign'}</h1>
      {(campaign.error ?? preview.error) && (
        <p role="alert" className="error">
          {campaign.error ?? preview.error}
        </p>
      )}
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      {c && (
        <p>
          Status: <strong>{c.status}</strong> · trigger {String(c.trigger.type)} · holdout{' '}
          {percent(c.holdoutBp / 10_000)} · attribution {c.attributionDays} days
        </p>
      )}
      {preview.data && (
        <article aria-label="Audience preview" className="kpis">
          <div className="kpi">
            <span className="kpi-label">Audience</span>
            <span className="kpi-value" data-testid="audience-size">
              {preview.data.audienceSize}
            </span>
            <span className="muted">members match today</span>
          </div>
          <div className="kpi">
            <span className="kpi-label">Treatment / holdout</span>
            <span className="kpi-value">
              {preview.data.expectedTreated} / {preview.data.expectedHoldout}
            </span>
          </div>
          <div className="kpi">
            <span className="kpi-label">Expected cost</span>
            <span className="kpi-value">{preview.data.expectedPoints} pts</span>
            <span className="muted">{money(preview.data.expectedCostMinor)}</span>
          </div>
          <div className="kpi">
            <span className="kpi-label">Offers within budget</span>
            <span className="kpi-value">{preview.data.offersWithinBudget ?? 'no cap'}</span>
          </div>
        </article>
      )}
      {c && (
        <div className="row">
          {c.status === 'draft' && (
            <button type="button" onClick={() => void act('launch')}>
              Launch
            </button>
          )}
          {c.status === 'active' && (
            <button type="button" onClick={() => void act('pause')}>
              Pause
            </button>
          )}
          {c.status === 'paused' && (
            <button type="button" onClick={() => void act('resume')}>
              Resume
            </button>
          )}
          {c.status !== 'ended' && c.status !== 'draft' && (
            <button type="button" className="danger" onClick={() => void act('end')}>
              End
            </button>
          )}
        </div>
      )}
      {results.data && (
        <article aria-label="Results">
          <h2>Results</h2>
          <BarChart
            title="Conversion: treatment vs holdout"
            bars={[
              {
                label: 'treatment',
                value: results.data.treatment.conversionRate ?? 0,
                tone: 'treatment',
              },
              {
                label: 'holdout',
                value: results.data.holdout.conversionRate ?? 0,
                tone: 'holdout',
              },
            ]}
            format={percent}
          />
          <p>
            Uplift:{' '}
            {results.data.uplift
              ? `${percent(results.data.uplift.estimate)} (95 % CI ${percent(results.data.uplift.low)} to ${percent(results.data.uplift.high)}, p = ${results.data.uplift.pValue.toFixed(3)})`
              : 'not measurable yet'}{' '}
            · cost {money(results.data.cost.totalMinor)} · ROI{' '}
            {results.data.roi === null ? '—' : results.data.roi.toFixed(2)}
          </p>
        </article>
      )}
    </section>
  );
}
