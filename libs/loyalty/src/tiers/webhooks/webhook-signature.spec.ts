import { createHmac } from 'node:crypto';
import {
  newWebhookSecret,
  signWebhook,
  verifyWebhook,
  webhookUrlProblem,
  webhookWants,
} from './webhook-signature';

describe('webhook signing', () => {
  const secret = 'whsec_test';
  const body = '{"id":"m1","topic":"tier.upgraded"}';

  it('signs "<timestamp>.<raw body>" with HMAC-SHA256, hex, v1 prefix', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(signWebhook(secret, 1_700_000_000, body)).toBe(`v1=${expected}`);
  });

  it('verifies its own signature and rejects a changed body, secret or stale timestamp', () => {
    const signature = signWebhook(secret, 1_700_000_000, body);
    const now = 1_700_000_100;
    expect(verifyWebhook(secret, { timestamp: '1700000000', signature }, body, { now })).toBe(true);
    expect(verifyWebhook(secret, { timestamp: '1700000000', signature }, `${body} `, { now })).toBe(
      false,
    );
    expect(verifyWebhook('other', { timestamp: '1700000000', signature }, body, { now })).toBe(
      false,
    );
    expect(
      verifyWebhook(secret, { timestamp: '1700000000', signature }, body, { now: now + 1000 }),
    ).toBe(false);
  });

  it('makes distinct, long secrets', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
    expect(newWebhookSecret()).not.toBe(a);
  });
});

describe('webhook URL and topic filter', () => {
  it('requires https, allowing http for localhost outside production only', () => {
    expect(webhookUrlProblem('https://hooks.example.com/x', true)).toBeNull();
    expect(webhookUrlProblem('http://127.0.0.1:8080/x', false)).toBeNull();
    expect(webhookUrlProblem('http://localhost/x', false)).toBeNull();
    expect(webhookUrlProblem('http://127.0.0.1:8080/x', true)).toMatch(/https/);
    expect(webhookUrlProblem('http://hooks.example.com/x', false)).toMatch(/https/);
    expect(webhookUrlProblem('ftp://hooks.example.com/x', false)).toMatch(/https/);
    expect(webhookUrlProblem('https://user:pw@hooks.example.com', false)).toMatch(/credentials/);
    expect(webhookUrlProblem('not a url', false)).toMatch(/absolute/);
  });

  it('matches topics exactly or by prefix; empty means all', () => {
    expect(webhookWants([], 'tier.upgraded')).toBe(true);
    expect(webhookWants(['tier.*'], 'tier.upgraded')).toBe(true);
    expect(webhookWants(['tier.*'], 'points.earned')).toBe(false);
    expect(webhookWants(['points.earned'], 'points.earned')).toBe(true);
    expect(webhookWants(['points.earned'], 'points.expired')).toBe(false);
  });
});
