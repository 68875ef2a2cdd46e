import { describe, expect, it } from 'vitest';
import { linkSignals } from './signals.js';

describe('linkSignals', () => {
  it('aborts with the reason of whichever parent aborts first', () => {
    const a = new AbortController();
    const b = new AbortController();
    const linked = linkSignals(a.signal, b.signal);
    b.abort('second');
    a.abort('first');
    expect(linked.signal.reason).toBe('second');
  });

  it('starts aborted when a parent already is', () => {
    const a = new AbortController();
    a.abort('early');
    expect(linkSignals(undefined, a.signal).signal.reason).toBe('early');
  });

  it('no longer follows its parents once disposed', () => {
    const a = new AbortController();
    const linked = linkSignals(a.signal);
    linked.dispose();
    a.abort('late');
    expect(linked.signal.aborted).toBe(false);
  });

  it('can be aborted directly with its own reason', () => {
    const linked = linkSignals(new AbortController().signal);
    linked.abort('mine');
    expect(linked.signal.reason).toBe('mine');
  });
});
