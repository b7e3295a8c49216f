import type { Interaction } from './interactions';
import { splitByTime, splitLastPerUser, splitRandom, testTruth, parseSplit } from './split';

const DAY = 86_400_000;

function events(): Interaction[] {
  const out: Interaction[] = [];
  for (let u = 0; u < 20; u++)
    for (let b = 0; b < 2 + (u % 7); b++)
      for (let l = 0; l < 3; l++)
        out.push({
          user: `u${u}`,
          item: `i${(u * 3 + b + l) % 15}`,
          at: (u + b * 10) * DAY,
          weight: 1,
        });
  return out;
}

describe('splits without leakage', () => {
  it('last-N: every test event is later than all of that user’s train events, baskets stay whole', () => {
    const split = splitLastPerUser(events(), 0.2);
    expect(split.test.length).toBeGreaterThan(0);
    expect(split.train.length + split.test.length).toBe(events().length);
    for (const t of split.test) {
      const trainTimes = split.train.filter((e) => e.user === t.user).map((e) => e.at);
      expect(trainTimes.length).toBeGreaterThan(0);
      expect(Math.max(...trainTimes)).toBeLessThan(t.at);
    }
  });

  it('time: train strictly before the cutoff, test only users seen in train', () => {
    const cutoff = 60 * DAY;
    const split = splitByTime(events(), cutoff);
    expect(split.train.every((e) => e.at < cutoff)).toBe(true);
    expect(split.test.every((e) => e.at >= cutoff)).toBe(true);
    const trainUsers = new Set(split.train.map((e) => e.user));
    expect(split.test.every((e) => trainUsers.has(e.user))).toBe(true);
  });

  it('random: a (user, item) pair is never on both sides and is reproducible by seed', () => {
    const a = splitRandom(events(), 0.3, 1);
    const train = new Set(a.train.map((e) => `${e.user}/${e.item}`));
    expect(a.test.length).toBeGreaterThan(0);
    expect(a.test.some((e) => train.has(`${e.user}/${e.item}`))).toBe(false);
    expect(splitRandom(events(), 0.3, 1).test).toEqual(a.test);
  });

  it('test truth with repeats excluded drops items the user had in train', () => {
    const split = {
      train: [{ user: 'u', item: 'milk', at: 1, weight: 1 }],
      test: [
        { user: 'u', item: 'milk', at: 2, weight: 1 },
        { user: 'u', item: 'bread', at: 2, weight: 1 },
        { user: 'cold', item: 'milk', at: 2, weight: 1 },
      ],
      description: '',
    };
    expect(testTruth(split, false)).toEqual(new Map([['u', new Set(['milk', 'bread'])]]));
    expect(testTruth(split, true)).toEqual(new Map([['u', new Set(['bread'])]]));
  });

  it('parses split names', () => {
    expect(parseSplit('last20')).toEqual({ kind: 'last', percent: 20 });
    expect(parseSplit('time', 5)).toEqual({ kind: 'time', cutoff: 5 });
    expect(() => parseSplit('nope')).toThrow('unknown split');
  });
});
