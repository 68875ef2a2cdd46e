import { describe, expect, it } from 'vitest';
import { NO_CAPABILITIES, type Capabilities } from '../protocol/capabilities.js';
import type { FallibleTransport } from './state.js';
import { chooseStep, type Step, type TransportInput } from './transport-choice.js';

const ALL: Capabilities = { ...NO_CAPABILITIES, longPoll: true, maxWaitS: 30, events: true, batch: true };
const MULTI: Capabilities = { ...ALL, multiEvents: true, maxIds: 100 };
const HOLDS: Capabilities = { ...NO_CAPABILITIES, longPoll: true, maxWaitS: 30 };

const base: TransportInput = {
  mode: 'auto',
  capabilities: ALL,
  unavailable: new Set(),
  streamUrlKnown: true,
  shareable: true,
  first: false,
  followsStages: false,
  holdS: 30,
};

const failed = (...t: FallibleTransport[]): ReadonlySet<FallibleTransport> => new Set(t);

describe('chooseStep', () => {
  it.each<[string, Partial<TransportInput>, Step]>([
    // first step
    ['first, streaming server known: the stream at once', { first: true }, 'sse'],
    ['first, no id to stream: a held first request', { first: true, streamUrlKnown: false }, 'long-poll'],
    ['first, holding server, ending only: held', { first: true, capabilities: HOLDS }, 'long-poll'],
    [
      'first, holding server, stages followed: plain read',
      { first: true, capabilities: HOLDS, followsStages: true },
      'read',
    ],
    ['first, too close to the deadline to hold', { first: true, capabilities: HOLDS, holdS: 0 }, 'read'],
    ['first, server not met yet', { first: true, capabilities: undefined }, 'read'],
    ['first, forced poll', { first: true, mode: 'poll' }, 'read'],
    ['first, forced long-poll on a holding server', { first: true, mode: 'long-poll' }, 'long-poll'],
    ['first, forced sse on a streaming server', { first: true, mode: 'sse' }, 'sse'],
    // while pending
    ['auto, streaming server', {}, 'sse'],
    ['auto, stream broken: long-poll', { unavailable: failed('sse') }, 'long-poll'],
    ['auto, both broken: poll', { unavailable: failed('sse', 'long-poll') }, 'poll'],
    ['auto, plain server', { capabilities: NO_CAPABILITIES, streamUrlKnown: false }, 'poll'],
    ['auto, holding server', { capabilities: HOLDS, streamUrlKnown: false }, 'long-poll'],
    ['auto, holding server, no time left to hold', { capabilities: HOLDS, holdS: 0 }, 'poll'],
    ['forced sse without announcement', { mode: 'sse', capabilities: NO_CAPABILITIES }, 'sse'],
    ['forced sse, stream broken: long-poll', { mode: 'sse', unavailable: failed('sse') }, 'long-poll'],
    ['forced long-poll on a plain server', { mode: 'long-poll', capabilities: NO_CAPABILITIES }, 'long-poll'],
    ['forced long-poll that failed: poll', { mode: 'long-poll', unavailable: failed('long-poll') }, 'poll'],
    ['forced poll on a server with everything', { mode: 'poll' }, 'poll'],
    [
      'stages followed do not change the pending choice',
      { followsStages: true, capabilities: HOLDS },
      'long-poll',
    ],
    // a server that multiplexes
    ['first, multiplexing server: a shared stream at once', { first: true, capabilities: MULTI }, 'multi'],
    ['pending, multiplexing server: a shared stream', { capabilities: MULTI }, 'multi'],
    ['stages followed: still shared', { capabilities: MULTI, followsStages: true }, 'multi'],
    ['forced sse: shared too', { capabilities: MULTI, mode: 'sse' }, 'multi'],
    ['forced long-poll: never shared', { capabilities: MULTI, mode: 'long-poll' }, 'long-poll'],
    ['forced poll: never shared', { capabilities: MULTI, mode: 'poll' }, 'poll'],
    ["shared stream failed: the job's own", { capabilities: MULTI, unavailable: failed('multi') }, 'sse'],
    ['the default job cannot be shared', { capabilities: MULTI, shareable: false }, 'sse'],
    [
      'first, shared stream failed: own stream',
      { first: true, capabilities: MULTI, unavailable: failed('multi') },
      'sse',
    ],
  ])('%s', (_name, input, expected) => {
    expect(chooseStep({ ...base, ...input })).toBe(expected);
  });
});
