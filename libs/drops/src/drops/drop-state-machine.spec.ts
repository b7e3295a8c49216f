import { canTransition, dueStatus, endNow, type DropSchedule } from './drop-state-machine';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, s));
const drop = (status: DropSchedule['status'], tiers = ['gold']): DropSchedule => ({
  status,
  earlyAccessAt: at(10),
  earlyAccessTierIds: tiers,
  startsAt: at(20),
  endsAt: at(30),
});

describe('drop state machine', () => {
  it('allows the documented moves only', () => {
    expect(canTransition('draft', 'scheduled')).toBe(true);
    expect(canTransition('scheduled', 'early_access')).toBe(true);
    expect(canTransition('live', 'sold_out')).toBe(true);
    expect(canTransition('sold_out', 'ended')).toBe(true);
    expect(canTransition('draft', 'live')).toBe(false);
    expect(canTransition('ended', 'live')).toBe(false);
    expect(canTransition('cancelled', 'scheduled')).toBe(false);
    expect(canTransition('sold_out', 'cancelled')).toBe(false);
  });

  it('derives the due status from the clock, whatever job woke it', () => {
    expect(dueStatus(drop('scheduled'), at(5))).toBeNull();
    expect(dueStatus(drop('scheduled'), at(10))).toBe('early_access');
    expect(dueStatus(drop('scheduled', []), at(10))).toBeNull();
    expect(dueStatus(drop('early_access'), at(20))).toBe('live');
    // A late early-access job after the public start goes straight to live.
    expect(dueStatus(drop('scheduled'), at(25))).toBe('live');
    expect(dueStatus(drop('live'), at(30))).toBe('ended');
    expect(dueStatus(drop('sold_out'), at(25))).toBeNull();
    expect(dueStatus(drop('sold_out'), at(31))).toBe('ended');
  });

  it('is a no-op for duplicates and for drafts, ended and cancelled drops', () => {
    expect(dueStatus(drop('live'), at(25))).toBeNull();
    expect(dueStatus(drop('draft'), at(25))).toBeNull();
    expect(dueStatus(drop('ended'), at(40))).toBeNull();
    expect(dueStatus(drop('cancelled'), at(40))).toBeNull();
  });

  it('ends an opened drop now, leaves an ended one alone and refuses the others', () => {
    expect(endNow('early_access')).toBe('end');
    expect(endNow('live')).toBe('end');
    expect(endNow('sold_out')).toBe('end');
    expect(endNow('ended')).toBe('already_ended');
    expect(endNow('draft')).toBe('refuse');
    expect(endNow('scheduled')).toBe('refuse');
    expect(endNow('cancelled')).toBe('refuse');
    // Every move it asks for is one the state machine allows.
    for (const status of ['early_access', 'live', 'sold_out'] as const)
      expect(canTransition(status, 'ended')).toBe(true);
  });
});
