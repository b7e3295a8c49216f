import {
  assignArm,
  deliverableAt,
  parseCampaignDefinition,
  renderTemplate,
} from './campaign-rules';

const template = '2f1b4a0e-8d7c-4b6a-9e5f-0a1b2c3d4e5f';

describe('campaign rules', () => {
  const base = {
    trigger: { type: 'lifecycle_change', to: ['dormant'] },
    reward: { type: 'coupon', templateId: template },
    caps: { budgetMinor: 10_000 },
  };

  it('requires a cap or an explicit override, and a holdout or an explicit override', () => {
    expect(parseCampaignDefinition(base)).toMatchObject({ holdoutBp: 1000 });
    expect(() => parseCampaignDefinition({ ...base, caps: {} })).toThrow('Invalid campaign');
    expect(
      parseCampaignDefinition({ ...base, caps: {}, overrides: { noCap: true } }).overrides,
    ).toEqual({
      noCap: true,
      noHoldout: false,
    });
    expect(() => parseCampaignDefinition({ ...base, holdoutBp: 0 })).toThrow('Invalid campaign');
    expect(
      parseCampaignDefinition({ ...base, holdoutBp: 0, overrides: { noHoldout: true } }).holdoutBp,
    ).toBe(0);
  });

  it('rejects malformed triggers, rewards, templates and quiet hours', () => {
    const bad = (patch: Record<string, unknown>) => () =>
      parseCampaignDefinition({ ...base, ...patch });
    expect(bad({ trigger: { type: 'nth_purchase' } })).toThrow('Invalid campaign');
    expect(bad({ trigger: { type: 'days_since_last_purchase', days: 0 } })).toThrow(
      'Invalid campaign',
    );
    expect(bad({ trigger: { type: 'birthday', bogus: 1 } })).toThrow('Invalid campaign');
    expect(bad({ reward: { type: 'cash' } })).toThrow('Invalid campaign');
    expect(bad({ message: { template: 'Hi {{password}}' } })).toThrow('Invalid campaign');
    expect(bad({ caps: { budgetMinor: 1, quietHours: { start: '25:00', end: '08:00' } } })).toThrow(
      'Invalid campaign',
    );
  });

  it('assigns arms stably and in proportion to the holdout share', () => {
    const ids = Array.from({ length: 4000 }, (_, i) => `member-${i}`);
    const arms = ids.map((id) => assignArm('seed-1', id, 2000));
    expect(ids.map((id) => assignArm('seed-1', id, 2000))).toEqual(arms);
    const held = arms.filter((a) => a === 'holdout').length / ids.length;
    expect(held).toBeGreaterThan(0.18);
    expect(held).toBeLessThan(0.22);
    expect(ids.map((id) => assignArm('seed-2', id, 2000))).not.toEqual(arms);
  });

  it('defers deliveries inside quiet hours to their end, in the brand timezone', () => {
    const quiet = { start: '22:00', end: '08:00' };
    const at = (iso: string) => new Date(iso);
    expect(deliverableAt(at('2026-03-10T12:00:00Z'), quiet, null)).toEqual(
      at('2026-03-10T12:00:00Z'),
    );
    expect(deliverableAt(at('2026-03-10T23:30:00Z'), quiet, null)).toEqual(
      at('2026-03-11T08:00:00Z'),
    );
    expect(deliverableAt(at('2026-03-10T03:15:20Z'), quiet, 'UTC')).toEqual(
      at('2026-03-10T08:00:00Z'),
    );
    // 12:00 UTC is 21:00 in Tokyo (outside), 14:00 UTC is 23:00 there (inside → 08:00 JST = 23:00 UTC).
    expect(deliverableAt(at('2026-03-10T12:00:00Z'), quiet, 'Asia/Tokyo')).toEqual(
      at('2026-03-10T12:00:00Z'),
    );
    expect(deliverableAt(at('2026-03-10T14:00:00Z'), quiet, 'Asia/Tokyo')).toEqual(
      at('2026-03-10T23:00:00Z'),
    );
    expect(
      deliverableAt(at('2026-03-10T10:00:00Z'), { start: '09:00', end: '17:00' }, 'Bogus/Zone'),
    ).toEqual(at('2026-03-10T17:00:00Z'));
  });

  it('renders member fields into the message', () => {
    expect(
      renderTemplate('Hi {{firstName}}, use {{ couponCode }}{{lastName}}', {
        firstName: 'Ana',
        couponCode: 'AB-12',
      }),
    ).toBe('Hi Ana, use AB-12');
  });
});
