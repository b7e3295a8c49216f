import { type FormEvent, useState } from 'react';
import { api, errorText } from '../api';
import { useApi } from '../use-api';

interface Reward {
  id: string;
  type: string;
  name: string;
  costPoints: number;
  stock: number | null;
  active: boolean;
}

interface Rule {
  id: string;
  kind: string;
  name: string;
  active: boolean;
  points: number;
  config: Record<string, unknown>;
}

const RULE_KINDS = [
  'purchase',
  'signup',
  'profile_completed',
  'birthday',
  'survey',
  'share',
  'referral',
  'review_approved',
  'post_approved',
];
const REWARD_TYPES = ['coupon', 'product', 'service', 'experience', 'donation'];

export function RewardsScreen() {
  const rewards = useApi<{ items: Reward[] }>('/v1/rewards?limit=100');
  const rules = useApi<{ items: Rule[] }>('/v1/loyalty/rules?limit=100');
  const [failure, setFailure] = useState<string | null>(null);
  const [reward, setReward] = useState({ name: '', type: 'product', costPoints: '100', stock: '' });
  const [rule, setRule] = useState({ name: '', kind: 'signup', points: '50' });

  async function run(work: () => Promise<unknown>, after: () => void) {
    setFailure(null);
    try {
      await work();
      after();
    } catch (e) {
      setFailure(errorText(e));
    }
  }

  function createReward(e: FormEvent) {
    e.preventDefault();
    void run(
      () =>
        api('/v1/rewards', {
          method: 'POST',
          body: {
            name: reward.name,
            type: reward.type,
            costPoints: Number(reward.costPoints),
            ...(reward.stock ? { stock: Number(reward.stock) } : {}),
          },
        }),
      () => {
        setReward({ ...reward, name: '' });
        rewards.reload();
      },
    );
  }

  function createRule(e: FormEvent) {
    e.preventDefault();
    const body =
      rule.kind === 'purchase'
        ? { name: rule.name, kind: rule.kind, config: { pointsPerUnit: Number(rule.points) } }
        : { name: rule.name, kind: rule.kind, points: Number(rule.points) };
    void run(
      () => api('/v1/loyalty/rules', { method: 'POST', body }),
      () => {
        setRule({ ...rule, name: '' });
        rules.reload();
      },
    );
  }

  return (
    <section aria-labelledby="rew-title">
      <h1 id="rew-title">Rewards and earning rules</h1>
      {(rewards.error ?? rules.error) && (
        <p role="alert" className="error">
          {rewards.error ?? rules.error}
        </p>
      )}
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      <h2>Rewards catalogue</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Reward</th>
            <th scope="col">Type</th>
            <th scope="col">Cost (points)</th>
            <th scope="col">Stock</th>
            <th scope="col">Active</th>
          </tr>
        </thead>
        <tbody>
          {(rewards.data?.items ?? []).map((r) => (
            <tr key={r.id}>
              <td>{r.name}</td>
              <td>{r.type}</td>
              <td>{r.costPoints}</td>
              <td>{r.stock ?? 'unlimited'}</td>
              <td>
                <label className="inline">
                  <input
                    type="checkbox"
                    checked={r.active}
                    onChange={() =>
                      void run(
                        () =>
                          api(`/v1/rewards/${r.id}`, {
                            method: 'PATCH',
                            body: { active: !r.active },
                          }),
                        rewards.reload,
                      )
                    }
                  />
                  <span className="visually-hidden">{`${r.name} active`}</span>
                </label>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="row" onSubmit={createReward} aria-label="New reward">
        <label>
          Reward name
          <input
            value={reward.name}
            onChange={(e) => setReward({ ...reward, name: e.target.value })}
            required
            maxLength={100}
          />
        </label>
        <label>
          Type
          <select
            value={reward.type}
            onChange={(e) => setReward({ ...reward, type: e.target.value })}
          >
            {REWARD_TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          Cost in points
          <input
            type="number"
            min={1}
            value={reward.costPoints}
            onChange={(e) => setReward({ ...reward, costPoints: e.target.value })}
            required
          />
        </label>
        <label>
          Stock (empty: unlimited)
          <input
            type="number"
            min={0}
            value={reward.stock}
            onChange={(e) => setReward({ ...reward, stock: e.target.value })}
          />
        </label>
        <button type="submit">Add reward</button>
      </form>
      <h2>Earning rules</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Kind</th>
            <th scope="col">Points</th>
            <th scope="col">Active</th>
          </tr>
        </thead>
        <tbody>
          {(rules.data?.items ?? []).map((r) => (
            <tr key={r.id}>
              <td>{r.name}</td>
              <td>{r.kind}</td>
              <td>
                {r.kind === 'purchase'
                  ? `${typeof r.config.pointsPerUnit === 'number' ? r.config.pointsPerUnit : 1} per unit`
                  : r.points}
              </td>
              <td>
                <label className="inline">
                  <input
                    type="checkbox"
                    checked={r.active}
                    onChange={() =>
                      void run(
                        () =>
                          api(`/v1/loyalty/rules/${r.id}`, {
                            method: 'PATCH',
                            body: { active: !r.active },
                          }),
                        rules.reload,
                      )
                    }
                  />
                  <span className="visually-hidden">{`${r.name} active`}</span>
                </label>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="row" onSubmit={createRule} aria-label="New earning rule">
        <label>
          Rule name
          <input
            value={rule.name}
            onChange={(e) => setRule({ ...rule, name: e.target.value })}
            required
            maxLength={100}
          />
        </label>
        <label>
          Kind
          <select value={rule.kind} onChange={(e) => setRule({ ...rule, kind: e.target.value })}>
            {RULE_KINDS.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <label>
          {rule.kind === 'purchase' ? 'Points per currency unit' : 'Points'}
          <input
            type="number"
            min={0}
            value={rule.points}
            onChange={(e) => setRule({ ...rule, points: e.target.value })}
            required
          />
        </label>
        <button type="submit">Add rule</button>
      </form>
    </section>
  );
}
