import { describe, expect, it } from 'vitest';
import { NO_CAPABILITIES } from '../protocol/capabilities.js';
import { heldAttempts } from './held-attempts.js';

describe('heldAttempts', () => {
  function attempts(holds: number[]) {
    const logs: { fields: object; message: string | undefined }[] = [];
    const log = (fields: object, message?: string): void => {
      logs.push({ fields, message });
    };
    const planned = heldAttempts({
      deps: {
        logger: { debug: log, info: log, warn: log, error: log },
        clock: { now: () => 0, sleep: () => Promise.resolve() },
        server: { capabilities: undefined },
      },
      jobId: 'j',
      holdS: (failures) => holds[failures] ?? 0,
      held: (waitS) => ({ url: 'held', headers: { prefer: `wait=${waitS}` }, heldMs: waitS * 1000 }),
      plain: () => ({ url: 'plain' }),
    });
    return { planned, logs };
  }

  it('sizes each attempt afresh, never re-sending a failed hold unchanged', () => {
    const { planned, logs } = attempts([30, 12]);
    expect(planned.attempt(0).headers).toEqual({ prefer: 'wait=30' });
    expect(planned.heldS()).toBe(30);
    expect(planned.attempt(1).headers).toEqual({ prefer: 'wait=12' });
    expect(logs.map((l) => l.message)).toEqual([
      'gave up a hold of 30 s after it failed; asking again with a hold of 12 s',
    ]);
  });

  it('reads plainly once nothing is worth holding, and says what it gave up', () => {
    const { planned, logs } = attempts([7, 0, 0]);
    planned.attempt(0);
    expect(planned.attempt(1)).toEqual({ url: 'plain' });
    expect(planned.heldS()).toBeUndefined();
    planned.attempt(2); // a failed plain read is the retry policy's to log
    expect(logs.map((l) => l.message)).toEqual([
      'gave up a hold of 7 s after it failed; asking again with a plain read',
    ]);
    expect(logs[0]?.fields).toMatchObject({ jobId: 'j', failures: 1, next: 'a plain read' });
  });

  it('remembers a hold cut on the way, for every later hold to the server', () => {
    let now = 0;
    const server = { capabilities: { ...NO_CAPABILITIES, longPoll: true, maxWaitS: 30 } };
    const quiet = (): void => undefined;
    const logger = { debug: quiet, info: quiet, warn: quiet, error: quiet };
    const deps = { logger, clock: { now: () => now, sleep: () => Promise.resolve() }, server };
    const planned = heldAttempts({
      deps,
      jobId: 'j',
      holdS: () => 300,
      held: (waitS) => ({ url: 'held', heldMs: waitS * 1000 }),
      plain: () => ({ url: 'plain' }),
    });
    planned.attempt(0);
    now = 60_200; // a proxy's 504 after 60 s, and the retry's short backoff
    planned.attempt(1);
    expect(server).toMatchObject({ cutS: 54 });
    now = 400_000; // the next one lasted its time: it says nothing
    planned.attempt(2);
    expect(server).toMatchObject({ cutS: 54 });
  });
});
