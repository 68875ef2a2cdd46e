import { describe, expect, it } from 'vitest';
import { WAIT_KEYS, type WaitOrder } from './known-keys.js';

describe('known keys', () => {
  it("lists the wait's keys in the order the call lists are prefixes of", () => {
    const order: WaitOrder = [
      'signal',
      'requestTimeoutMs',
      'onRetry',
      'retry',
      'timeoutMs',
      'transport',
      'polling',
      'onPoll',
      'onStatus',
    ];
    expect(WAIT_KEYS).toEqual(order);
  });
});
