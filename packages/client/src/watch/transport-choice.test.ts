import { describe, expect, it } from 'vitest';
import { NO_CAPABILITIES, type Capabilities } from '../protocol/capabilities.js';
import type { FallibleTransport } from './state.js';
import { chooseStep, type Step, type TransportInput } from './transport-choice.js';

const ALL: Capabilities = { ...NO_CAPABILITIES, longPoll: true, maxWaitS: 30, events: true };
const MULTI: Capabilities = { ...ALL, batch: true, multiEvents: true, maxIds: 100 };
const HOLDS: Capabilities = { ...NO_CAPABILITIES, longPoll: true, maxWaitS: 30 };
const BATCH: Capabilities = { ...HOLDS, batch: true };
const STREAMS_AND_BATCH: Capabilities = { ...ALL, batch: true };

const base: TransportInput = {
  mode: 'auto',
  capabilities: ALL,
  unavailable: new Set(),
  streamUrlKnown: true,
  shareable: true,
  batched: false,
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
    // a first step that ended without a status (its transport given up) is not chosen again
    ['first, stream given up: held', { first: true, unavailable: failed('sse') }, 'long-poll'],
    [
      'first, stream and hold given up: read',
      { first: true, unavailable: failed('sse', 'long-poll') },
      'read',
    ],
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
    // a server with the batch endpoint but no multiplexed stream
    ['first, ending only: a shared batch', { first: true, capabilities: BATCH }, 'batch'],
    ['first, stages followed: plain read', { first: true, capabilities: BATCH, followsStages: true }, 'read'],
    ['pending, where a long-poll would be: a shared batch', { capabilities: BATCH }, 'batch'],
    ['pending, stages followed: a shared batch too', { capabilities: BATCH, followsStages: true }, 'batch'],
    ['forced long-poll: a shared batch', { capabilities: BATCH, mode: 'long-poll' }, 'batch'],
    ['forced poll: never a batch', { capabilities: BATCH, mode: 'poll' }, 'poll'],
    [
      'forced long-poll, holds not announced: its own',
      { capabilities: { ...BATCH, longPoll: false }, mode: 'long-poll' },
      'long-poll',
    ],
    ['too close to the deadline to hold: poll', { capabilities: BATCH, holdS: 0 }, 'poll'],
    ['batch failed: its own long-poll', { capabilities: BATCH, unavailable: failed('batch') }, 'long-poll'],
    ['the default job is never batched', { capabilities: BATCH, shareable: false }, 'long-poll'],
    ['a separate wait on a streaming server: its own stream', { capabilities: STREAMS_AND_BATCH }, 'sse'],
    // one of a waitForAll's many jobs
    ['batched: before its own stream', { capabilities: STREAMS_AND_BATCH, batched: true }, 'batch'],
    [
      'batched, server not met yet: a batch',
      { first: true, capabilities: undefined, batched: true },
      'batch',
    ],
    ['batched, forced poll: a polled batch', { mode: 'poll', batched: true }, 'batch'],
    ['batched, forced sse: its own stream', { mode: 'sse', batched: true }, 'sse'],
    ['batched, multiplexing server: a shared stream', { capabilities: MULTI, batched: true }, 'multi'],
    ['batched, batch failed: its own stream', { batched: true, unavailable: failed('batch') }, 'sse'],
  ])('%s', (_name, input, expected) => {
    expect(chooseStep({ ...base, ...input })).toBe(expected);
  });
});
