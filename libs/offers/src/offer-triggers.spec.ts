import { occurrenceOf, triggerAccepts } from './offer-triggers';

const member = '11111111-1111-4111-8111-111111111111';
const tier = '22222222-2222-4222-8222-222222222222';

describe('trigger occurrences', () => {
  it('names each occurrence from the event facts, so republished facts collide', () => {
    const a = occurrenceOf('order.paid', { memberId: member, orderId: 'o1', paidTotalMinor: 10 });
    const b = occurrenceOf('order.paid', { memberId: member, orderId: 'o1' });
    expect(a?.key).toBe(`nth_purchase:${member}:o1`);
    expect(b?.key).toBe(a?.key);
    expect(occurrenceOf('review.approved', { memberId: member, reviewId: 'r1' })?.key).toBe(
      `review_approved:${member}:r1`,
    );
    expect(occurrenceOf('order.paid', { orderId: 'o1' })).toBeNull();
    expect(occurrenceOf('post.created', { memberId: member })).toBeNull();
  });

  it('applies trigger parameters', () => {
    const dormant = occurrenceOf('member.lifecycle_changed', {
      memberId: member,
      from: 'at_risk',
      to: 'dormant',
      historyId: 'h1',
    })!;
    expect(triggerAccepts({ type: 'lifecycle_change', to: ['dormant'] }, dormant)).toBe(true);
    expect(triggerAccepts({ type: 'lifecycle_change', to: ['churned'] }, dormant)).toBe(false);
    expect(
      triggerAccepts({ type: 'lifecycle_change', to: ['dormant'], from: ['active'] }, dormant),
    ).toBe(false);

    const order = occurrenceOf('order.paid', { memberId: member, orderId: 'o' })!;
    const nth = (ordinal: number) => ({ ...order, context: { ...order.context, ordinal } });
    expect(triggerAccepts({ type: 'nth_purchase', n: 2 }, nth(2))).toBe(true);
    expect(triggerAccepts({ type: 'nth_purchase', n: 2 }, nth(3))).toBe(false);
    expect(triggerAccepts({ type: 'nth_purchase', n: 3, orMore: true }, nth(7))).toBe(true);
    expect(triggerAccepts({ type: 'nth_purchase', n: 1 }, order)).toBe(false);

    const up = occurrenceOf('tier.upgraded', { memberId: member, to: { id: tier }, at: 'x' })!;
    expect(triggerAccepts({ type: 'tier_change', direction: 'upgraded' }, up)).toBe(true);
    expect(triggerAccepts({ type: 'tier_change', direction: 'downgraded' }, up)).toBe(false);
    expect(triggerAccepts({ type: 'tier_change', tierIds: [tier] }, up)).toBe(true);
  });
});
