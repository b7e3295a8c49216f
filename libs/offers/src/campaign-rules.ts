import { createHash } from 'node:crypto';
import { ValidationError } from '@app/common';

export const TRIGGER_TYPES = [
  'purchase_window',
  'days_since_last_purchase',
  'birthday',
  'lifecycle_change',
  'nth_purchase',
  'points_expiring',
  'tier_change',
  'review_approved',
  'community_joined',
  'drop_missed',
] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];

/** Triggers evaluated by the scheduled scan rather than by events. */
export const SCAN_TRIGGERS: readonly TriggerType[] = ['days_since_last_purchase', 'birthday'];

export interface CampaignTrigger {
  type: TriggerType;
  /** days_since_last_purchase: fires once per last order, `days` after it. */
  days?: number;
  /** birthday: days before the birthday. */
  leadDays?: number;
  /** lifecycle_change: target (and optional source) stages. */
  to?: string[];
  from?: string[];
  /** nth_purchase: the member's n-th paid order; `orMore` fires on every order from the n-th. */
  n?: number;
  orMore?: boolean;
  /** tier_change */
  direction?: 'upgraded' | 'downgraded';
  tierIds?: string[];
  /** community_joined / drop_missed: restrict to these. */
  communityIds?: string[];
  dropIds?: string[];
}

export type CampaignReward =
  | { type: 'coupon'; templateId: string; costMinor: number }
  | { type: 'points'; points: number }
  /**
   * A purchase-points multiplier for `days` after the offer. Stored on the campaign; the offer's
   * issued_at + days is the window. Order ingestion (loyalty) would read live multiplier offers of
   * the member when pricing points — not wired yet (ADR 0018).
   */
  | { type: 'multiplier'; multiplierBp: number; days: number };

export interface CampaignMessage {
  template: string;
  channels: Array<'in_app' | 'webhook'>;
}

export interface QuietHours {
  /** Local wall-clock times HH:MM in the brand's timezone (UTC when it has none). */
  start: string;
  end: string;
}

export interface CampaignCaps {
  budgetMinor?: number;
  budgetPoints?: number;
  perMember?: { max: number; days: number };
  quietHours?: QuietHours;
  /** Offers (any campaign of the brand, either arm) a member may get in `days`. */
  contactPressure?: { max: number; days: number };
}

/** Applied when a campaign does not set its own contact-pressure cap. */
export const DEFAULT_CONTACT_PRESSURE = { max: 3, days: 7 } as const;

export const TEMPLATE_FIELDS = [
  'firstName',
  'lastName',
  'campaignName',
  'couponCode',
  'points',
  'expiresAt',
] as const;

export interface CampaignDefinition {
  trigger: CampaignTrigger;
  reward: CampaignReward;
  message: CampaignMessage;
  caps: CampaignCaps;
  holdoutBp: number;
  overrides: { noCap?: boolean; noHoldout?: boolean };
}

type Problems = Record<string, string[]>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const uuids = (v: unknown): v is string[] =>
  Array.isArray(v) && v.length <= 100 && v.every((x) => typeof x === 'string' && UUID.test(x));

function only(raw: Record<string, unknown>, allowed: string[], field: string, p: Problems) {
  for (const key of Object.keys(raw))
    if (!allowed.includes(key)) (p[`${field}.${key}`] ??= []).push('is not allowed here');
}

function parseTrigger(raw: unknown, p: Problems): CampaignTrigger | null {
  if (!isObject(raw) || !(TRIGGER_TYPES as readonly unknown[]).includes(raw.type)) {
    (p['trigger.type'] ??= []).push(`must be one of ${TRIGGER_TYPES.join(', ')}`);
    return null;
  }
  const t = raw as unknown as CampaignTrigger;
  const allowed: Record<TriggerType, string[]> = {
    purchase_window: [],
    days_since_last_purchase: ['days'],
    birthday: ['leadDays'],
    lifecycle_change: ['to', 'from'],
    nth_purchase: ['n', 'orMore'],
    points_expiring: [],
    tier_change: ['direction', 'tierIds'],
    review_approved: [],
    community_joined: ['communityIds'],
    drop_missed: ['dropIds'],
  };
  only(raw, ['type', ...allowed[t.type]], 'trigger', p);
  const stages = ['new', 'active', 'at_risk', 'dormant', 'churned'];
  const stageList = (v: unknown) =>
    Array.isArray(v) && v.length > 0 && v.every((x) => stages.includes(x as string));
  if (t.type === 'days_since_last_purchase' && !isInt(t.days, 1, 3650))
    (p['trigger.days'] ??= []).push('must be an integer 1–3650');
  if (t.type === 'birthday' && t.leadDays !== undefined && !isInt(t.leadDays, 0, 60))
    (p['trigger.leadDays'] ??= []).push('must be an integer 0–60');
  if (t.type === 'lifecycle_change') {
    if (!stageList(t.to)) (p['trigger.to'] ??= []).push(`must list stages (${stages.join(', ')})`);
    if (t.from !== undefined && !stageList(t.from))
      (p['trigger.from'] ??= []).push(`must list stages (${stages.join(', ')})`);
  }
  if (t.type === 'nth_purchase') {
    if (!isInt(t.n, 1, 1000)) (p['trigger.n'] ??= []).push('must be an integer ≥ 1');
    if (t.orMore !== undefined && typeof t.orMore !== 'boolean')
      (p['trigger.orMore'] ??= []).push('must be a boolean');
  }
  if (t.type === 'tier_change') {
    if (t.direction !== undefined && t.direction !== 'upgraded' && t.direction !== 'downgraded')
      (p['trigger.direction'] ??= []).push('must be upgraded or downgraded');
    if (t.tierIds !== undefined && !uuids(t.tierIds))
      (p['trigger.tierIds'] ??= []).push('must be ids');
  }
  if (t.communityIds !== undefined && !uuids(t.communityIds))
    (p['trigger.communityIds'] ??= []).push('must be ids');
  if (t.dropIds !== undefined && !uuids(t.dropIds))
    (p['trigger.dropIds'] ??= []).push('must be ids');
  return t;
}

function parseReward(raw: unknown, p: Problems): CampaignReward | null {
  if (!isObject(raw)) {
    (p.reward ??= []).push('must be an object');
    return null;
  }
  switch (raw.type) {
    case 'coupon':
      only(raw, ['type', 'templateId', 'costMinor'], 'reward', p);
      if (typeof raw.templateId !== 'string' || !UUID.test(raw.templateId))
        (p['reward.templateId'] ??= []).push('must be a coupon template id');
      if (raw.costMinor !== undefined && !isInt(raw.costMinor, 0, 1e12))
        (p['reward.costMinor'] ??= []).push('must be an integer ≥ 0');
      return raw as unknown as CampaignReward;
    case 'points':
      only(raw, ['type', 'points'], 'reward', p);
      if (!isInt(raw.points, 1, 1_000_000)) (p['reward.points'] ??= []).push('must be 1–1000000');
      return raw as unknown as CampaignReward;
    case 'multiplier':
      only(raw, ['type', 'multiplierBp', 'days'], 'reward', p);
      if (!isInt(raw.multiplierBp, 10_001, 100_000))
        (p['reward.multiplierBp'] ??= []).push('must be 10001–100000 (×1.0001–×10)');
      if (!isInt(raw.days, 1, 90)) (p['reward.days'] ??= []).push('must be 1–90');
      return raw as unknown as CampaignReward;
    default:
      (p['reward.type'] ??= []).push('must be coupon, points or multiplier');
      return null;
  }
}

function parseMessage(raw: unknown, p: Problems): CampaignMessage {
  const m = isObject(raw) ? raw : {};
  if (raw !== undefined && !isObject(raw)) (p.message ??= []).push('must be an object');
  only(m, ['template', 'channels'], 'message', p);
  const template = m.template ?? '';
  if (typeof template !== 'string' || template.length > 2000)
    (p['message.template'] ??= []).push('must be a string of ≤ 2000 characters');
  else
    for (const [, field] of template.matchAll(/\{\{\s*([^}\s]+)\s*\}\}/g))
      if (!(TEMPLATE_FIELDS as readonly string[]).includes(field))
        (p['message.template'] ??= []).push(
          `unknown field {{${field}}} (${TEMPLATE_FIELDS.join(', ')})`,
        );
  const channels = m.channels ?? ['in_app', 'webhook'];
  if (!Array.isArray(channels) || !channels.every((c) => c === 'in_app' || c === 'webhook'))
    (p['message.channels'] ??= []).push('must list in_app and/or webhook');
  return {
    template: typeof template === 'string' ? template : '',
    channels: [...new Set(channels as CampaignMessage['channels'])],
  };
}

function parseCaps(raw: unknown, p: Problems): CampaignCaps {
  const c = isObject(raw) ? raw : {};
  if (raw !== undefined && !isObject(raw)) (p.caps ??= []).push('must be an object');
  only(c, ['budgetMinor', 'budgetPoints', 'perMember', 'quietHours', 'contactPressure'], 'caps', p);
  if (c.budgetMinor !== undefined && !isInt(c.budgetMinor, 1, 1e13))
    (p['caps.budgetMinor'] ??= []).push('must be a positive integer');
  if (c.budgetPoints !== undefined && !isInt(c.budgetPoints, 1, 1e12))
    (p['caps.budgetPoints'] ??= []).push('must be a positive integer');
  for (const key of ['perMember', 'contactPressure'] as const) {
    const v = c[key];
    if (v === undefined) continue;
    if (!isObject(v) || !isInt(v.max, 1, 1000) || !isInt(v.days, 1, 365))
      (p[`caps.${key}`] ??= []).push('must be { max: 1–1000, days: 1–365 }');
  }
  if (c.quietHours !== undefined) {
    const q = c.quietHours;
    if (
      !isObject(q) ||
      typeof q.start !== 'string' ||
      typeof q.end !== 'string' ||
      !HHMM.test(q.start) ||
      !HHMM.test(q.end) ||
      q.start === q.end
    )
      (p['caps.quietHours'] ??= []).push('must be { start: "HH:MM", end: "HH:MM" }, start ≠ end');
  }
  return c;
}

/**
 * Validates the rule-bearing parts of a campaign. A campaign without a budget (money or points)
 * needs `overrides.noCap`, one with a 0 % holdout `overrides.noHoldout` (nothing could be
 * measured).
 */
export function parseCampaignDefinition(raw: {
  trigger: unknown;
  reward: unknown;
  message?: unknown;
  caps?: unknown;
  holdoutBp?: number;
  overrides?: unknown;
}): CampaignDefinition {
  const p: Problems = {};
  const trigger = parseTrigger(raw.trigger, p);
  const reward = parseReward(raw.reward, p);
  const message = parseMessage(raw.message, p);
  const caps = parseCaps(raw.caps, p);
  const holdoutBp = raw.holdoutBp ?? 1000;
  if (!isInt(holdoutBp, 0, 10_000)) (p.holdoutBp ??= []).push('must be 0–10000 basis points');
  const o = isObject(raw.overrides) ? raw.overrides : {};
  if (raw.overrides !== undefined && !isObject(raw.overrides))
    (p.overrides ??= []).push('must be an object');
  only(o, ['noCap', 'noHoldout'], 'overrides', p);
  const overrides = { noCap: o.noCap === true, noHoldout: o.noHoldout === true };
  if (caps.budgetMinor === undefined && caps.budgetPoints === undefined && !overrides.noCap)
    (p['caps.budgetMinor'] ??= []).push(
      'a campaign needs a budget (budgetMinor or budgetPoints) or overrides.noCap: true',
    );
  if (holdoutBp === 0 && !overrides.noHoldout)
    (p.holdoutBp ??= []).push('a 0 % holdout cannot be measured: set overrides.noHoldout: true');
  if (Object.keys(p).length || !trigger || !reward)
    throw new ValidationError('Invalid campaign', { fields: p });
  return { trigger, reward, message, caps, holdoutBp, overrides };
}

/**
 * Stable treatment/holdout assignment: sha256(seed:memberId) → bucket 0–9999; below holdoutBp →
 * holdout. Deterministic for a (seed, member), so a member's arm can be recomputed; the first
 * assignment is also stored and never changes even if the holdout share is edited.
 */
export function assignArm(
  seed: string,
  memberId: string,
  holdoutBp: number,
): 'treatment' | 'holdout' {
  const bucket =
    createHash('sha256').update(`${seed}:${memberId}`).digest().readUInt32BE(0) % 10_000;
  return bucket < holdoutBp ? 'holdout' : 'treatment';
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Minutes since local midnight of `at` in `timeZone` (invalid zones fall back to UTC). */
export function localMinutes(at: Date, timeZone: string | null | undefined): number {
  let zone = timeZone || 'UTC';
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
  } catch {
    zone = 'UTC';
  }
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((x) => x.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

/**
 * When a message produced at `now` may be delivered: `now` outside quiet hours, else the end of
 * the quiet period (local wall clock; a DST jump inside the window shifts it by that hour).
 */
export function deliverableAt(
  now: Date,
  quiet: QuietHours | undefined,
  timeZone?: string | null,
): Date {
  if (!quiet) return now;
  const t = localMinutes(now, timeZone);
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  const inside = start < end ? t >= start && t < end : t >= start || t < end;
  if (!inside) return now;
  const wait = (end - t + 1440) % 1440;
  const at = new Date(now.getTime() + wait * 60_000);
  at.setUTCSeconds(0, 0);
  return at;
}

/** Fills `{{field}}` placeholders (unknown or missing values → empty). */
export function renderTemplate(
  template: string,
  fields: Partial<Record<(typeof TEMPLATE_FIELDS)[number], string | number | null>>,
): string {
  return template.replace(/\{\{\s*([^}\s]+)\s*\}\}/g, (_, name: string) => {
    const value = (fields as Record<string, string | number | null | undefined>)[name];
    return value === undefined || value === null ? '' : String(value);
  });
}
