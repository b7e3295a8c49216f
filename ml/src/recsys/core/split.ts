import type { Interaction } from './interactions';
import { seededRandom } from './random';

export interface Split {
  train: Interaction[];
  test: Interaction[];
  /** What the split did, for reports. */
  description: string;
}

export type SplitSpec =
  | { kind: 'last'; percent: number }
  | { kind: 'time'; cutoff?: number }
  | { kind: 'random'; percent: number; seed: number };

/** `last20` (last 20 % of each user's baskets), `time` (optionally at a cutoff), `random`. */
export function parseSplit(text: string, cutoff?: number, seed = 42): SplitSpec {
  const last = /^last(\d{1,2})$/.exec(text);
  if (last) return { kind: 'last', percent: Number(last[1]) };
  if (text === 'time') return { kind: 'time', cutoff };
  if (text === 'random') return { kind: 'random', percent: 20, seed };
  throw new Error(`unknown split "${text}": use last<N> (e.g. last20), time or random`);
}

export function applySplit(interactions: readonly Interaction[], spec: SplitSpec): Split {
  switch (spec.kind) {
    case 'last':
      return splitLastPerUser(interactions, spec.percent / 100);
    case 'time':
      return splitByTime(interactions, spec.cutoff ?? timeQuantile(interactions, 0.8));
    case 'random':
      return splitRandom(interactions, spec.percent / 100, spec.seed);
  }
}

function byUser(interactions: readonly Interaction[]): Map<string, Interaction[]> {
  const users = new Map<string, Interaction[]>();
  for (const e of interactions) {
    const list = users.get(e.user);
    if (list) list.push(e);
    else users.set(e.user, [e]);
  }
  return users;
}

/** The timestamp below which `q` of the events fall. */
export function timeQuantile(interactions: readonly Interaction[], q: number): number {
  const times = interactions.map((e) => e.at).sort((a, b) => a - b);
  return times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
}

/**
 * Per user, the latest `fraction` of their event times go to test. A basket (same timestamp) is
 * never split across train and test, and every test event is later than all of the user's train
 * events; users with a single event time stay in train.
 */
export function splitLastPerUser(interactions: readonly Interaction[], fraction: number): Split {
  const train: Interaction[] = [];
  const test: Interaction[] = [];
  for (const events of byUser(interactions).values()) {
    const times = [...new Set(events.map((e) => e.at))].sort((a, b) => a - b);
    const testTimes =
      times.length < 2
        ? 0
        : Math.min(times.length - 1, Math.max(1, Math.round(fraction * times.length)));
    const cutoff = testTimes ? times[times.length - testTimes] : Infinity;
    for (const e of events) (e.at >= cutoff ? test : train).push(e);
  }
  return {
    train,
    test,
    description: `last ${Math.round(fraction * 100)} % of each user's baskets`,
  };
}

/** Everything before the cutoff trains; test keeps only users seen in train (the others are cold). */
export function splitByTime(interactions: readonly Interaction[], cutoff: number): Split {
  const train = interactions.filter((e) => e.at < cutoff);
  const seen = new Set(train.map((e) => e.user));
  const test = interactions.filter((e) => e.at >= cutoff && seen.has(e.user));
  return { train, test, description: `train before ${new Date(cutoff).toISOString()}, test after` };
}

/**
 * A random `fraction` of (user, item) pairs go to test with all their events, so the same pair is
 * never on both sides; users keep at least one pair in train.
 */
export function splitRandom(
  interactions: readonly Interaction[],
  fraction: number,
  seed: number,
): Split {
  const random = seededRandom(seed);
  const train: Interaction[] = [];
  const test: Interaction[] = [];
  for (const events of byUser(interactions).values()) {
    const items = [...new Set(events.map((e) => e.item))].sort();
    const held = new Set<string>();
    for (const item of items) if (random() < fraction) held.add(item);
    if (held.size === items.length) held.delete(items[0]);
    for (const e of events) (held.has(e.item) ? test : train).push(e);
  }
  return {
    train,
    test,
    description: `random ${Math.round(fraction * 100)} % of (user, item) pairs`,
  };
}

/**
 * The test truth: per user, the distinct items of their test events. With `excludeRepeats`, items
 * the user already had in train are removed (only discovery counts); users left empty drop out.
 */
export function testTruth(split: Split, excludeRepeats: boolean): Map<string, Set<string>> {
  const seen = new Map<string, Set<string>>();
  for (const e of split.train) {
    const s = seen.get(e.user);
    if (s) s.add(e.item);
    else seen.set(e.user, new Set([e.item]));
  }
  const truth = new Map<string, Set<string>>();
  for (const e of split.test) {
    const had = seen.get(e.user);
    if (!had) continue;
    if (excludeRepeats && had.has(e.item)) continue;
    const s = truth.get(e.user);
    if (s) s.add(e.item);
    else truth.set(e.user, new Set([e.item]));
  }
  return truth;
}
