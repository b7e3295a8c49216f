import { useState } from 'react';
import { money, percent } from '../api';
import { BarChart, LineChart } from '../charts';
import { useApi } from '../use-api';

interface Arm {
  members: number;
  converted: number;
  conversionRate: number | null;
}

interface Dashboard {
  range: { from: string; to: string };
  members: { total: number; active: number };
  orders: {
    customers: number;
    repeatCustomers: number;
    orders: number;
    revenueMinor: number;
    repurchaseRate: number | null;
    purchaseFrequency: number | null;
    averageOrderValueMinor: number | null;
    daily: { day: string; orders: number; revenueMinor: number }[];
    cohorts: {
      month: string;
      customers: number;
      repeaters: number;
      repurchaseRate: number | null;
    }[];
  };
  clv: { members: number; averageMinor: number | null };
  lifecycle: { stages: Record<string, number>; segmented: number; churnRate: number | null };
  points: {
    earned: number;
    redeemed: number;
    expired: number;
    redemptionRate: number | null;
    liabilityPoints: number;
    liabilityMinor: number;
  };
  rewards: { redemptions: number; members: number; top: { name: string; redemptions: number }[] };
  coupons: { issued: number; redeemed: number; usageRate: number | null };
  campaigns: {
    campaignId: string;
    name: string;
    treatment: Arm;
    holdout: Arm;
    uplift: number | null;
  }[];
  community: {
    posters: number;
    posts: number;
    reviews: number;
    reviewsPerOrder: number | null;
    reviewRate: number | null;
  };
  drops: {
    id: string;
    title: string;
    status: string;
    peakViewers: number;
    stock: number;
    sold: number;
    sellThrough: number | null;
    revenueMinor: number;
  }[];
}

const day = (d: Date) => d.toISOString().slice(0, 10);

function Kpi({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="kpi" role="group" aria-label={label}>
      <span className="kpi-label">{label}</span>
      <span className="kpi-value">{value}</span>
      {hint && <span className="muted">{hint}</span>}
    </div>
  );
}

export function DashboardScreen() {
  const [from, setFrom] = useState(() => day(new Date(Date.now() - 90 * 86_400_000)));
  const [to, setTo] = useState(() => day(new Date(Date.now() + 86_400_000)));
  const query = `/v1/analytics/dashboard?from=${from}T00:00:00Z&to=${to}T00:00:00Z`;
  const { data, error, loading } = useApi<Dashboard>(from < to ? query : null);

  return (
    <section aria-labelledby="dash-title">
      <h1 id="dash-title">Dashboard</h1>
      <form className="row" aria-label="Date range" onSubmit={(e) => e.preventDefault()}>
        <label>
          From
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          To (exclusive)
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        {loading && (
          <span className="muted" aria-live="polite">
            Loading…
          </span>
        )}
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {data && (
        <>
          <div className="kpis">
            <Kpi
              label="Repurchase rate"
              value={percent(data.orders.repurchaseRate)}
              hint={`${data.orders.repeatCustomers} of ${data.orders.customers} customers`}
            />
            <Kpi
              label="Purchase frequency"
              value={data.orders.purchaseFrequency?.toFixed(2) ?? '—'}
              hint="orders per customer"
            />
            <Kpi label="Average order value" value={money(data.orders.averageOrderValueMinor)} />
            <Kpi
              label="Revenue"
              value={money(data.orders.revenueMinor)}
              hint={`${data.orders.orders} orders`}
            />
            <Kpi
              label="Average CLV (12 m)"
              value={money(data.clv.averageMinor)}
              hint={`${data.clv.members} members scored`}
            />
            <Kpi
              label="Churn rate"
              value={percent(data.lifecycle.churnRate)}
              hint={`${data.lifecycle.segmented} segmented`}
            />
            <Kpi
              label="Active members"
              value={String(data.members.active)}
              hint={`of ${data.members.total}`}
            />
            <Kpi
              label="Points redemption rate"
              value={percent(data.points.redemptionRate)}
              hint={`${data.points.redeemed} of ${data.points.earned} earned`}
            />
            <Kpi
              label="Points liability"
              value={money(data.points.liabilityMinor)}
              hint={`${data.points.liabilityPoints} points outstanding`}
            />
            <Kpi
              label="Coupon usage"
              value={percent(data.coupons.usageRate)}
              hint={`${data.coupons.redeemed} of ${data.coupons.issued} issued`}
            />
            <Kpi
              label="Review rate"
              value={percent(data.community.reviewRate)}
              hint={`${data.community.reviews} reviews, ${data.community.posters} posters`}
            />
            <Kpi
              label="Reward redemptions"
              value={String(data.rewards.redemptions)}
              hint={`${data.rewards.members} members`}
            />
          </div>
          <div className="charts">
            <LineChart
              title="Revenue per day"
              points={data.orders.daily.map((d) => ({ label: d.day, value: d.revenueMinor }))}
              format={money}
            />
            <LineChart
              title="Orders per day"
              points={data.orders.daily.map((d) => ({ label: d.day, value: d.orders }))}
            />
            <BarChart
              title="Repurchase by first-order month"
              bars={data.orders.cohorts.map((c) => ({
                label: c.month,
                value: c.repurchaseRate ?? 0,
              }))}
              format={percent}
            />
            <BarChart
              title="Members by lifecycle stage"
              bars={Object.entries(data.lifecycle.stages).map(([label, value]) => ({
                label,
                value,
              }))}
            />
            <BarChart
              title="Points in the window"
              bars={[
                { label: 'earned', value: data.points.earned },
                { label: 'redeemed', value: data.points.redeemed },
                { label: 'expired', value: data.points.expired },
              ]}
            />
            <BarChart
              title="Campaign conversion: treatment vs holdout"
              bars={data.campaigns.flatMap((c) => [
                { label: `${c.name} T`, value: c.treatment.conversionRate ?? 0, tone: 'treatment' },
                { label: `${c.name} H`, value: c.holdout.conversionRate ?? 0, tone: 'holdout' },
              ])}
              format={percent}
            />
          </div>
          <h2>Drops</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Drop</th>
                <th scope="col">Status</th>
                <th scope="col">Peak viewers</th>
                <th scope="col">Sold / stock</th>
                <th scope="col">Sell-through</th>
                <th scope="col">Revenue</th>
              </tr>
            </thead>
            <tbody>
              {data.drops.length === 0 && (
                <tr>
                  <td colSpan={6} className="muted">
                    No drops in this window.
                  </td>
                </tr>
              )}
              {data.drops.map((d) => (
                <tr key={d.id}>
                  <td>{d.title}</td>
                  <td>{d.status}</td>
                  <td>{d.peakViewers}</td>
                  <td>
                    {d.sold} / {d.stock}
                  </td>
                  <td>{percent(d.sellThrough)}</td>
                  <td>{money(d.revenueMinor)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
