import { randomBytes } from 'node:crypto';
import {
  signatureHeader,
  signingKeyOf,
} from '../../libs/loyalty/src/orders/signing/storefront-signature';

/**
 * Signs a storefront request as a storefront would (ADR 0008): returns the headers to send with
 * `body` (the exact JSON string that goes on the wire).
 */
export function signStorefrontRequest(input: {
  apiKey: string;
  method: string;
  path: string;
  body: string;
  /** Unix seconds; default now. */
  timestamp?: number;
  /** Default: a fresh random nonce, so a retry is a new signed request; null signs without one. */
  nonce?: string | null;
}): Record<string, string> {
  const nonce =
    input.nonce === null ? undefined : (input.nonce ?? randomBytes(12).toString('base64url'));
  const secret = input.apiKey.split('_').slice(2).join('_');
  const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    'x-api-key': input.apiKey,
    'content-type': 'application/json',
    'x-signature': signatureHeader(
      signingKeyOf(secret),
      timestamp,
      input.method,
      input.path,
      input.body,
      nonce,
    ),
  };
}
