import { ModerationErrorCode } from './moderation.errors';
import {
  MAX_REGEX_LENGTH,
  type RuleDefinition,
  checkRegexSafety,
  compileRule,
  keywordMatches,
  normaliseText,
  screenText,
  strongest,
  validatePattern,
} from './rule-matching';

const rule = (
  id: string,
  match: RuleDefinition['match'],
  pattern: string,
  action: RuleDefinition['action'],
) => compileRule({ id, match, pattern, action });

const codeOf = (fn: () => void): string | null => {
  try {
    fn();
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? 'no code';
  }
};

describe('keyword matching', () => {
  const matches = (text: string, keyword: string) =>
    keywordMatches(normaliseText(text), normaliseText(keyword));

  it('matches whole words, case-insensitively', () => {
    expect(matches('Buy SPAM now', 'spam')).toBe(true);
    expect(matches('spam', 'spam')).toBe(true);
    expect(matches('spam!', 'spam')).toBe(true);
    expect(matches('(spam)', 'spam')).toBe(true);
    expect(matches('Spam, spam and eggs', 'SPAM')).toBe(true);
  });

  it('does not match inside a longer word', () => {
    expect(matches('the spammer', 'spam')).toBe(false);
    expect(matches('antispam filter', 'spam')).toBe(false);
    expect(matches('spam_bot', 'spam')).toBe(false);
    expect(matches('café', 'caf')).toBe(false);
  });

  it('finds a later whole-word occurrence after a partial one', () => {
    expect(matches('spammer sends spam', 'spam')).toBe(true);
  });

  it('matches phrases with their inner spacing', () => {
    expect(matches('this is a free money offer', 'free money')).toBe(true);
    expect(matches('freemoney', 'free money')).toBe(false);
  });

  it('folds full-width letters (NFKC)', () => {
    expect(matches('ＳＰＡＭ here', 'spam')).toBe(true);
  });

  it('matches CJK keywords as substrings, since CJK text has no spaces', () => {
    expect(matches('这是广告链接请点击', '广告')).toBe(true);
    expect(matches('これは広告です', '広告')).toBe(true);
    expect(matches('这是正常的评论', '广告')).toBe(false);
  });

  it('matches a Latin keyword right next to CJK characters', () => {
    expect(matches('快来买spam便宜', 'spam')).toBe(true);
    expect(matches('快来买spammer', 'spam')).toBe(false);
  });
});

describe('screening', () => {
  it('allows text no rule matches', () => {
    expect(screenText([rule('r1', 'keyword', 'spam', 'block')], 'hello')).toEqual({
      action: 'allow',
      ruleIds: [],
    });
  });

  it('the strongest action wins and every matching rule is reported', () => {
    const rules = [
      rule('flag', 'keyword', 'cheap', 'flag'),
      rule('hold', 'regex', 'https?://\\S+', 'hold'),
      rule('block', 'keyword', 'scam', 'block'),
      rule('other', 'keyword', 'unrelated', 'block'),
    ];
    expect(screenText(rules, 'cheap stuff at http://x.test')).toEqual({
      action: 'hold',
      ruleIds: ['flag', 'hold'],
    });
    expect(screenText(rules, 'Cheap SCAM at http://x.test')).toEqual({
      action: 'block',
      ruleIds: ['flag', 'hold', 'block'],
    });
    expect(screenText(rules, 'cheap')).toEqual({ action: 'flag', ruleIds: ['flag'] });
  });

  it('orders actions block > hold > flag > allow', () => {
    expect(strongest('flag', 'hold')).toBe('hold');
    expect(strongest('block', 'hold')).toBe('block');
    expect(strongest('allow', 'flag')).toBe('flag');
    expect(strongest('hold', 'allow')).toBe('hold');
  });

  it('regex rules are case-insensitive and Unicode-aware', () => {
    const r = rule('r', 'regex', 'w[e3]chat\\s*id', 'hold');
    expect(r.test(normaliseText('add my WECHAT ID'))).toBe(true);
    expect(r.test(normaliseText('w3chatid: abc'))).toBe(true);
    expect(r.test(normaliseText('wechat is fine'))).toBe(false);
    expect(rule('cjk', 'regex', '加.{0,3}微信', 'hold').test(normaliseText('请加我微信'))).toBe(
      true,
    );
  });
});

describe('pattern validation', () => {
  it('accepts ordinary keywords and regexes', () => {
    expect(codeOf(() => validatePattern('keyword', 'spam'))).toBeNull();
    expect(codeOf(() => validatePattern('keyword', '广告'))).toBeNull();
    expect(codeOf(() => validatePattern('regex', 'https?://\\S+'))).toBeNull();
    expect(codeOf(() => validatePattern('regex', '(foo|bar)+baz'))).toBeNull();
    expect(codeOf(() => validatePattern('regex', '[a-z]{2,5}\\d+'))).toBeNull();
    expect(codeOf(() => validatePattern('regex', '(ab)?c+'))).toBeNull();
  });

  it('rejects invalid regexes with a code', () => {
    expect(codeOf(() => validatePattern('regex', '(unclosed'))).toBe(
      ModerationErrorCode.PatternInvalid,
    );
    expect(codeOf(() => validatePattern('regex', '[z-a]'))).toBe(
      ModerationErrorCode.PatternInvalid,
    );
    expect(codeOf(() => validatePattern('keyword', '   '))).toBe(
      ModerationErrorCode.PatternInvalid,
    );
  });

  it('rejects regexes matching empty text (they would match everything)', () => {
    expect(codeOf(() => validatePattern('regex', 'a*'))).toBe(ModerationErrorCode.PatternInvalid);
    expect(codeOf(() => validatePattern('regex', '^'))).toBe(ModerationErrorCode.PatternInvalid);
  });

  it.each([
    '(a+)+',
    '(a*)*b',
    '(\\w+\\s?)+$',
    '((ab)*c)+',
    '(a{2,})+',
    '(?:x+y)*z',
    '(a+)+?',
    '(a|b+){2,}',
  ])('rejects the catastrophic pattern %s', (pattern) => {
    expect(codeOf(() => validatePattern('regex', pattern))).toBe(ModerationErrorCode.PatternUnsafe);
  });

  it('treats escaped and bracketed quantifier characters as literals', () => {
    expect(codeOf(() => checkRegexSafety('(a\\+)+'))).toBeNull();
    expect(codeOf(() => checkRegexSafety('([+*])+'))).toBeNull();
    expect(codeOf(() => checkRegexSafety('(a?)+x'))).toBeNull();
  });

  it('rejects back-references, huge bounds and over-long patterns', () => {
    expect(codeOf(() => validatePattern('regex', '(a)\\1'))).toBe(
      ModerationErrorCode.PatternUnsafe,
    );
    expect(codeOf(() => validatePattern('regex', 'a{1000}'))).toBe(
      ModerationErrorCode.PatternUnsafe,
    );
    expect(codeOf(() => validatePattern('regex', 'x'.repeat(MAX_REGEX_LENGTH + 1)))).toBe(
      ModerationErrorCode.PatternUnsafe,
    );
  });
});
