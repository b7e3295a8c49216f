import { ValidationError } from '@app/common';
import { LIFECYCLE_STAGES, type LifecycleStage, PERSONAS, VALUE_TIERS } from './lifecycle-policy';

/** Inclusive bounds on an RFM score (0 = no orders, 1–5 quintiles, 5 = best). */
export interface ScoreRange {
  min?: number;
  max?: number;
}

/**
 * A segment: every present condition must hold (AND); list conditions match any listed value.
 * Conditions over computed attributes use member_segments; tiers, tags, communities and
 * predictions use their own tables (a member without a prediction row fails a prediction bound).
 */
export interface SegmentDefinition {
  lifecycle?: LifecycleStage[];
  valueTiers?: string[];
  personas?: string[];
  recency?: ScoreRange;
  frequency?: ScoreRange;
  monetary?: ScoreRange;
  minOrders?: number;
  maxOrders?: number;
  tags?: string[];
  tierIds?: string[];
  communityIds?: string[];
  prediction?: {
    p7Min?: number;
    p28Min?: number;
    pAliveMin?: number;
    pAliveMax?: number;
    clv12mMinMinor?: number;
  };
  /**
   * Tag rule: every recompute of the brand tags the segment's members with this tag (source
   * `rule:<segment id>`) and removes it from those who left. Staff tags are never touched.
   */
  applyTag?: string;
}

/** Audiences of campaigns: a definition plus named segments (member of any of them). */
export interface AudienceDefinition extends SegmentDefinition {
  segmentIds?: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TAG = /^[a-z0-9][a-z0-9_:-]{0,63}$/;

export function isTag(value: string): boolean {
  return TAG.test(value);
}

type Problems = Record<string, string[]>;

function list(
  raw: unknown,
  field: string,
  problems: Problems,
  valid: (v: string) => boolean,
): string[] | undefined {
  if (raw === undefined) return undefined;
  if (
    !Array.isArray(raw) ||
    raw.length > 100 ||
    !raw.every((v) => typeof v === 'string' && valid(v))
  ) {
    (problems[field] ??= []).push('must be a list (≤ 100) of allowed values');
    return undefined;
  }
  return [...new Set(raw as string[])];
}

function num(raw: unknown, field: string, problems: Problems, min: number, max: number) {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < min || raw > max) {
    (problems[field] ??= []).push(`must be a number in [${min}, ${max}]`);
    return undefined;
  }
  return raw;
}

function range(raw: unknown, field: string, problems: Problems): ScoreRange | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null) {
    (problems[field] ??= []).push('must be { min?, max? }');
    return undefined;
  }
  const r = raw as Record<string, unknown>;
  const extra = Object.keys(r).filter((k) => k !== 'min' && k !== 'max');
  if (extra.length) (problems[field] ??= []).push(`unknown keys: ${extra.join(', ')}`);
  return {
    min: num(r.min, `${field}.min`, problems, 0, 5),
    max: num(r.max, `${field}.max`, problems, 0, 5),
  };
}

const KNOWN = new Set([
  'lifecycle',
  'valueTiers',
  'personas',
  'recency',
  'frequency',
  'monetary',
  'minOrders',
  'maxOrders',
  'tags',
  'tierIds',
  'communityIds',
  'prediction',
]);

function parseInto(raw: Record<string, unknown>, problems: Problems, allowSegments: boolean) {
  for (const key of Object.keys(raw))
    if (!KNOWN.has(key) && !(allowSegments ? key === 'segmentIds' : key === 'applyTag'))
      (problems[key] ??= []).push('is not a segment condition');
  const def: AudienceDefinition = {
    lifecycle: list(raw.lifecycle, 'lifecycle', problems, (v) =>
      (LIFECYCLE_STAGES as readonly string[]).includes(v),
    ) as LifecycleStage[] | undefined,
    valueTiers: list(raw.valueTiers, 'valueTiers', problems, (v) =>
      (VALUE_TIERS as readonly string[]).includes(v),
    ),
    personas: list(raw.personas, 'personas', problems, (v) =>
      (PERSONAS as readonly string[]).includes(v),
    ),
    recency: range(raw.recency, 'recency', problems),
    frequency: range(raw.frequency, 'frequency', problems),
    monetary: range(raw.monetary, 'monetary', problems),
    minOrders: num(raw.minOrders, 'minOrders', problems, 0, 1e9),
    maxOrders: num(raw.maxOrders, 'maxOrders', problems, 0, 1e9),
    tags: list(raw.tags, 'tags', problems, isTag),
    tierIds: list(raw.tierIds, 'tierIds', problems, (v) => UUID.test(v)),
    communityIds: list(raw.communityIds, 'communityIds', problems, (v) => UUID.test(v)),
  };
  if (allowSegments)
    def.segmentIds = list(raw.segmentIds, 'segmentIds', problems, (v) => UUID.test(v));
  else if (raw.applyTag !== undefined) {
    if (typeof raw.applyTag !== 'string' || !isTag(raw.applyTag))
      (problems.applyTag ??= []).push('must be a tag');
    else if (def.tags?.includes(raw.applyTag))
      (problems.applyTag ??= []).push('cannot be one of the tags the segment requires');
    else def.applyTag = raw.applyTag;
  }
  if (raw.prediction !== undefined) {
    const p = raw.prediction as Record<string, unknown>;
    if (typeof p !== 'object' || p === null) (problems.prediction ??= []).push('must be an object');
    else {
      const keys = ['p7Min', 'p28Min', 'pAliveMin', 'pAliveMax', 'clv12mMinMinor'];
      for (const key of Object.keys(p))
        if (!keys.includes(key)) (problems[`prediction.${key}`] ??= []).push('is not a condition');
      def.prediction = {
        p7Min: num(p.p7Min, 'prediction.p7Min', problems, 0, 1),
        p28Min: num(p.p28Min, 'prediction.p28Min', problems, 0, 1),
        pAliveMin: num(p.pAliveMin, 'prediction.pAliveMin', problems, 0, 1),
        pAliveMax: num(p.pAliveMax, 'prediction.pAliveMax', problems, 0, 1),
        clv12mMinMinor: num(p.clv12mMinMinor, 'prediction.clv12mMinMinor', problems, 0, 1e15),
      };
    }
  }
  return stripUndefined(def);
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [
        k,
        v && typeof v === 'object' && !Array.isArray(v) ? stripUndefined(v) : v,
      ]),
  ) as T;
}

function parse(raw: unknown, allowSegments: boolean, what: string): AudienceDefinition {
  const problems: Problems = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ValidationError(`Invalid ${what}`, { fields: { [what]: ['must be an object'] } });
  const def = parseInto(raw as Record<string, unknown>, problems, allowSegments);
  if (Object.keys(problems).length)
    throw new ValidationError(`Invalid ${what}`, { fields: problems });
  return def;
}

/** Validates a stored or submitted segment definition (named segments cannot nest segments). */
export const parseSegmentDefinition = (raw: unknown): SegmentDefinition =>
  parse(raw, false, 'definition');

/** Validates a campaign audience (may reference named segments). */
export const parseAudience = (raw: unknown): AudienceDefinition => parse(raw, true, 'audience');
