import { PatternInvalidError, PatternUnsafeError } from './moderation.errors';

export type RuleMatch = 'keyword' | 'regex';
export type RuleAction = 'block' | 'hold' | 'flag';
export type ScreeningAction = 'allow' | RuleAction;

export interface ScreeningVerdict {
  action: ScreeningAction;
  /** Ids of every rule that matched (not only the strongest), for the moderation case. */
  ruleIds: string[];
}

export interface RuleDefinition {
  id: string;
  match: RuleMatch;
  pattern: string;
  action: RuleAction;
}

/** Limits on what a brand may store (see ADR 0013). */
export const MAX_KEYWORD_LENGTH = 100;
export const MAX_REGEX_LENGTH = 200;
/** Largest `{n,m}` bound accepted in a regex rule. */
export const MAX_REPEAT_BOUND = 100;

const STRENGTH: Record<ScreeningAction, number> = { allow: 0, flag: 1, hold: 2, block: 3 };

/** Strongest of two actions: block > hold > flag > allow. */
export function strongest(a: ScreeningAction, b: ScreeningAction): ScreeningAction {
  return STRENGTH[a] >= STRENGTH[b] ? a : b;
}

/**
 * Scripts written without spaces between words: a keyword in (or next to) them matches as a
 * plain substring, because there is no word boundary to look for.
 */
const UNSPACED =
  /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}]/u;
const WORD = /[\p{L}\p{N}\p{M}_]/u;

/** A character that continues a word (so a keyword next to it is only part of a longer word). */
function isSpacedWordChar(ch: string | undefined): boolean {
  return ch !== undefined && WORD.test(ch) && !UNSPACED.test(ch);
}

/** Full-width forms fold to ASCII (NFKC) and case is ignored, so `ＳＰＡＭ` matches `spam`. */
export function normaliseText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/**
 * Keyword match on word boundaries in normalised text. A boundary is only required where the
 * keyword starts/ends with a letter of a spaced script: `spam` matches `spam!` and `买spam`, not
 * `spammer`; `广告` matches inside `这是广告链接`.
 */
export function keywordMatches(normalisedText: string, normalisedKeyword: string): boolean {
  if (!normalisedKeyword) return false;
  const chars = Array.from(normalisedKeyword);
  const checkBefore = isSpacedWordChar(chars[0]);
  const checkAfter = isSpacedWordChar(chars[chars.length - 1]);
  for (
    let at = normalisedText.indexOf(normalisedKeyword);
    at !== -1;
    at = normalisedText.indexOf(normalisedKeyword, at + 1)
  ) {
    // Code points, not UTF-16 units, on either side (astral letters are two units).
    const before = Array.from(normalisedText.slice(Math.max(0, at - 2), at)).pop();
    const next = normalisedText.codePointAt(at + normalisedKeyword.length);
    const after = next === undefined ? undefined : String.fromCodePoint(next);
    if (checkBefore && isSpacedWordChar(before)) continue;
    if (checkAfter && isSpacedWordChar(after)) continue;
    return true;
  }
  return false;
}

/**
 * Rejects regexes that can backtrack catastrophically in a backtracking engine: a quantified
 * group containing another unbounded or repeated quantifier (`(a+)+`, `(\w*)*`, `(a{2,})+`),
 * back-references, and huge `{n,m}` bounds. Alternation overlap (`(a|a)+`) is not detected; the
 * length caps on patterns and content bound its cost (ADR 0013).
 */
export function checkRegexSafety(pattern: string): void {
  if (/\\[1-9]|\\k</.test(pattern)) throw new PatternUnsafeError('back-references are not allowed');
  // One frame per open group: does its body contain a repeating quantifier?
  const stack: boolean[] = [false];
  let i = 0;
  const markRepeat = () => (stack[stack.length - 1] = true);
  while (i < pattern.length) {
    const ch = pattern[i];
    if (ch === '\\') {
      i += 2;
      continue;
    }
    if (ch === '[') {
      i = skipClass(pattern, i);
      continue;
    }
    if (ch === '(') {
      stack.push(false);
      i += 1;
      continue;
    }
    if (ch === ')') {
      const innerRepeats = stack.length > 1 ? (stack.pop() ?? false) : false;
      i += 1;
      const q = readQuantifier(pattern, i);
      if (q) {
        if (q.repeats && innerRepeats)
          throw new PatternUnsafeError('nested quantifiers such as (a+)+ are not allowed');
        if (q.repeats) markRepeat();
        i = q.end;
      }
      if (innerRepeats) markRepeat();
      continue;
    }
    const q = readQuantifier(pattern, i);
    if (q) {
      if (q.repeats) markRepeat();
      i = q.end;
      continue;
    }
    i += 1;
  }
}

function skipClass(pattern: string, start: number): number {
  let i = start + 1;
  while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** A quantifier at `i` (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, optionally lazy), or null. */
function readQuantifier(pattern: string, i: number): { repeats: boolean; end: number } | null {
  const ch = pattern[i];
  let end: number;
  let repeats: boolean;
  if (ch === '*' || ch === '+') {
    repeats = true;
    end = i + 1;
  } else if (ch === '?') {
    repeats = false;
    end = i + 1;
  } else if (ch === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
    if (!m) return null;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    if (min > MAX_REPEAT_BOUND || (max !== Infinity && max > MAX_REPEAT_BOUND))
      throw new PatternUnsafeError(`repetition bounds above ${MAX_REPEAT_BOUND} are not allowed`);
    repeats = max > 1;
    end = i + m[0].length;
  } else {
    return null;
  }
  if (pattern[end] === '?') end += 1;
  return { repeats, end };
}

/** Validates a rule's pattern as it would be stored; throws a 400 domain error with a code. */
export function validatePattern(match: RuleMatch, pattern: string): void {
  if (match === 'keyword') {
    const keyword = normaliseText(pattern.trim());
    if (!keyword) throw new PatternInvalidError('must not be empty');
    if (Array.from(keyword).length > MAX_KEYWORD_LENGTH)
      throw new PatternInvalidError(`must be at most ${MAX_KEYWORD_LENGTH} characters`);
    return;
  }
  if (!pattern) throw new PatternInvalidError('must not be empty');
  if (pattern.length > MAX_REGEX_LENGTH)
    throw new PatternUnsafeError(`must be at most ${MAX_REGEX_LENGTH} characters`);
  let compiled: RegExp;
  try {
    compiled = new RegExp(pattern, 'iu');
  } catch (error) {
    throw new PatternInvalidError(error instanceof Error ? error.message : 'not a regex');
  }
  checkRegexSafety(pattern);
  if (compiled.test('')) throw new PatternInvalidError('must not match empty text');
}

/** A rule ready to test against normalised text. */
export interface CompiledRule {
  id: string;
  action: RuleAction;
  test(normalisedText: string): boolean;
}

export function compileRule(rule: RuleDefinition): CompiledRule {
  if (rule.match === 'keyword') {
    const keyword = normaliseText(rule.pattern.trim());
    return { id: rule.id, action: rule.action, test: (text) => keywordMatches(text, keyword) };
  }
  const regex = new RegExp(rule.pattern, 'iu');
  return { id: rule.id, action: rule.action, test: (text) => regex.test(text) };
}

/** Every matching rule is reported; the strongest action wins. */
export function screenText(rules: readonly CompiledRule[], text: string): ScreeningVerdict {
  const normalised = normaliseText(text);
  let action: ScreeningAction = 'allow';
  const ruleIds: string[] = [];
  for (const rule of rules) {
    if (!rule.test(normalised)) continue;
    ruleIds.push(rule.id);
    action = strongest(action, rule.action);
  }
  return { action, ruleIds };
}
