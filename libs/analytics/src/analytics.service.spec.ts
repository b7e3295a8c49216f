import { summariseCampaigns } from './analytics.service';

describe('summariseCampaigns', () => {
  it('pairs the arms of each campaign and measures the uplift', () => {
    const [summary, other] = summariseCampaigns([
      {
        campaignId: 'a',
        name: 'A',
        status: 'active',
        arm: 'treatment',
        members: 8,
        converted: 4,
        redeemed: 2,
        costMinor: 500,
      },
      {
        campaignId: 'a',
        name: 'A',
        status: 'active',
        arm: 'holdout',
        members: 4,
        converted: 1,
        redeemed: 0,
        costMinor: 0,
      },
      {
        campaignId: 'b',
        name: 'B',
        status: 'ended',
        arm: 'treatment',
        members: 3,
        converted: 0,
        redeemed: 0,
        costMinor: 0,
      },
    ]);
    expect(summary).toMatchObject({
      campaignId: 'a',
      treatment: { members: 8, conversionRate: 0.5 },
      holdout: { members: 4, conversionRate: 0.25 },
      uplift: 0.25,
    });
    // No holdout exposure: the uplift is unknown rather than the raw conversion.
    expect(other).toMatchObject({ campaignId: 'b', holdout: { members: 0 }, uplift: null });
  });
});
