import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Header carrying the storefront's request signature: `t=<unix seconds>,n=<nonce>,v1=<hex
 * HMAC-SHA256>`. The nonce is optional but recommended: without it two identical requests signed
 * in the same second are byte-identical, so a legitimate retry would be refused as a replay.
 */
export const SIGNATURE_HEADER = 'x-signature';
/** A signed request is accepted this long either side of the server clock (and remembered as long). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export interface ParsedSignature {
  timestamp: number;
  nonce?: string;
  signatures: string[];
}

const NONCE = /^[A-Za-z0-9_-]{8,64}$/;

/** sha256 hex of a string or buffer. */
export const sha256Hex = (data: string | Buffer): string =>
  createHash('sha256').update(data).digest('hex');

/**
 * The signing key of an API key `lk_<prefix>_<secret>`: sha256 hex of its secret, i.e. exactly
 * what the server stores (ADR 0008).
 */
export function signingKeyOf(secret: string): string {
  return sha256Hex(secret);
}

/** `<t>[.<nonce>].<METHOD>.<path>.<sha256 hex of the raw body>` — what v1 signs. */
export function canonicalString(
  timestamp: number,
  method: string,
  path: string,
  rawBody: Buffer | string | undefined,
  nonce?: string,
): string {
  const stamp = nonce ? `${timestamp}.${nonce}` : `${timestamp}`;
  return `${stamp}.${method.toUpperCase()}.${path}.${sha256Hex(rawBody ?? '')}`;
}

export function computeSignature(
  signingKey: string,
  timestamp: number,
  method: string,
  path: string,
  rawBody: Buffer | string | undefined,
  nonce?: string,
): string {
  return createHmac('sha256', signingKey)
    .update(canonicalString(timestamp, method, path, rawBody, nonce))
    .digest('hex');
}

/** Parses `t=…[,n=…],v1=…[,v1=…]`; null when malformed. Several v1 values allow key rotation. */
export function parseSignatureHeader(header: unknown): ParsedSignature | null {
  if (typeof header !== 'string' || header.length > 1024) return null;
  let timestamp: number | null = null;
  let nonce: string | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return null;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name === 't') {
      if (!/^\d{1,12}$/.test(value) || timestamp !== null) return null;
      timestamp = Number(value);
    } else if (name === 'n') {
      if (!NONCE.test(value) || nonce !== undefined) return null;
      nonce = value;
    } else if (name === 'v1') {
      if (!/^[0-9a-f]{64}$/.test(value)) return null;
      signatures.push(value);
    }
    // Unknown schemes are ignored (forward compatible).
  }
  if (timestamp === null || !signatures.length) return null;
  return { timestamp, ...(nonce ? { nonce } : {}), signatures };
}

export type SignatureCheck =
  | { ok: true; signature: string }
  | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

/** Verifies a request's signature header against the key; constant-time comparison. */
export function verifySignature(input: {
  header: unknown;
  signingKey: string;
  method: string;
  path: string;
  rawBody: Buffer | string | undefined;
  nowSeconds: number;
  toleranceSeconds?: number;
}): SignatureCheck {
  if (input.header === undefined || input.header === '') return { ok: false, reason: 'missing' };
  const parsed = parseSignatureHeader(input.header);
  if (!parsed) return { ok: false, reason: 'malformed' };
  const tolerance = input.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS;
  if (Math.abs(input.nowSeconds - parsed.timestamp) > tolerance)
    return { ok: false, reason: 'stale' };
  const expected = Buffer.from(
    computeSignature(
      input.signingKey,
      parsed.timestamp,
      input.method,
      input.path,
      input.rawBody,
      parsed.nonce,
    ),
    'hex',
  );
  for (const candidate of parsed.signatures) {
    if (timingSafeEqual(expected, Buffer.from(candidate, 'hex')))
      return { ok: true, signature: candidate };
  }
  return { ok: false, reason: 'mismatch' };
}

/** Builds the header value a storefront sends (also used by tests and the bench). */
export function signatureHeader(
  signingKey: string,
  timestamp: number,
  method: string,
  path: string,
  rawBody: Buffer | string,
  nonce?: string,
): string {
  const signature = computeSignature(signingKey, timestamp, method, path, rawBody, nonce);
  return nonce ? `t=${timestamp},n=${nonce},v1=${signature}` : `t=${timestamp},v1=${signature}`;
}
