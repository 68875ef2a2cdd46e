import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { decodeWebhookSecret } from '../settings/webhook-secret.js';
import { signatureHeader } from './signing.js';

const secret = (bytes: number): string => `whsec_${randomBytes(bytes).toString('base64')}`;

function key(value: string): Buffer {
  const decoded = decodeWebhookSecret(value);
  if (!decoded.ok) throw new Error(decoded.problem);
  return decoded.key;
}

describe('signatureHeader', () => {
  it('is verified by the reference library, with every secret of a rotation', () => {
    const [current, previous] = [secret(32), secret(32)];
    const body = JSON.stringify({ type: 'job.completed', timestamp: '2027-01-01T00:00:00.000Z', data: {} });
    const timestampS = Math.floor(Date.now() / 1000);
    const headers = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(timestampS),
      'webhook-signature': signatureHeader([key(current), key(previous)], 'msg_1', timestampS, body),
    };
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const receiverSecret of [current, previous]) {
      expect(new Webhook(receiverSecret).verify(body, headers)).toEqual(JSON.parse(body));
    }
    expect(() => new Webhook(secret(32)).verify(body, headers)).toThrow(/No matching signature/);
  });
});

describe('decodeWebhookSecret', () => {
  it.each([
    ['no prefix', randomBytes(32).toString('base64'), /starts with 'whsec_'/],
    ['not base64', 'whsec_***', /followed by base64/],
    ['too short', secret(16), /24 to 64 bytes \(got 16\)/],
    ['too long', secret(65), /got 65/],
  ])('refuses a secret with %s, without repeating it', (_what, value, problem) => {
    const decoded = decodeWebhookSecret(value);
    expect(decoded.ok).toBe(false);
    const text = decoded.ok ? '' : decoded.problem;
    expect(text).toMatch(problem);
    expect(text).not.toContain(value.slice(6, 16));
  });

  it('accepts 24 to 64 bytes', () => {
    expect(decodeWebhookSecret(secret(24)).ok).toBe(true);
    expect(decodeWebhookSecret(secret(64)).ok).toBe(true);
  });
});
