import { describe, expect, it } from 'vitest';
import { NO_CAPABILITIES, parseCapabilities, type Capabilities } from './capabilities.js';

const none = NO_CAPABILITIES;

describe('parseCapabilities', () => {
  it.each<[string | null, Capabilities]>([
    [null, none],
    [
      'long-poll; max-wait=30, events, batch',
      { ...none, longPoll: true, maxWaitS: 30, events: true, batch: true },
    ],
    ['  Long-Poll ;MAX-WAIT = 45 ,EVENTS', { ...none, longPoll: true, maxWaitS: 45, events: true }],
    ['long-poll', { ...none, longPoll: true }],
    ['long-poll; max-wait=abc', { ...none, longPoll: true }],
    ['teleport, batch, ,', { ...none, batch: true }],
    ['long-poll; max-wait="20"', { ...none, longPoll: true, maxWaitS: 20 }],
    [
      'long-poll; max-wait=30, events; heartbeat-ms=15000, batch',
      {
        longPoll: true,
        maxWaitS: 30,
        maxResultWaitS: undefined,
        events: true,
        heartbeatMs: 15_000,
        batch: true,
        multiEvents: false,
        maxIds: undefined,
      },
    ],
    [
      'long-poll; max-wait=30; max-result-wait=300, batch',
      { ...none, longPoll: true, maxWaitS: 30, maxResultWaitS: 300, batch: true },
    ],
    ['long-poll; Max-Result-Wait = 600', { ...none, longPoll: true, maxResultWaitS: 600 }],
    ['long-poll; max-result-wait=later', { ...none, longPoll: true }],
    ['events; max-result-wait=300', { ...none, events: true }],
    ['events; Heartbeat-MS = "5000"', { ...none, events: true, heartbeatMs: 5_000 }],
    ['events; heartbeat-ms=0', { ...none, events: true }],
    ['events; heartbeat-ms=-5', { ...none, events: true }],
    ['events; heartbeat-ms=soon', { ...none, events: true }],
    ['long-poll; heartbeat-ms=5000', { ...none, longPoll: true }],
    ['events, multi-events; max-ids=100', { ...none, events: true, multiEvents: true, maxIds: 100 }],
    ['Multi-Events', { ...none, multiEvents: true }],
    ['multi-events; max-ids=0', { ...none, multiEvents: true }],
    ['multi-events; max-ids=lots', { ...none, multiEvents: true }],
  ])('reads %j', (header, capabilities) => {
    expect(parseCapabilities(header)).toEqual(capabilities);
  });
});
