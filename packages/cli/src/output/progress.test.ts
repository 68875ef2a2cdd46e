import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  eraseBoard,
  estimateProgress,
  fitProgressLine,
  redrawBoard,
  renderBar,
  renderProgressLine,
  visibleLength,
  type JobView,
} from './progress.js';

const plain = { barWidth: 10, labelWidth: 2, color: false };

function view(fields: Partial<JobView>): JobView {
  return {
    label: 'es',
    result: 'pending',
    stage: 'transcribing',
    progress: 0.2,
    etaMs: 8000,
    sinceMs: 0,
    ...fields,
  };
}

describe('renderBar', () => {
  it.each([
    [0, '[░░░░░░░░░░]'],
    [0.5, '[█████░░░░░]'],
    [1, '[██████████]'],
    [1.7, '[██████████]'],
    [-1, '[░░░░░░░░░░]'],
    [NaN, '[░░░░░░░░░░]'],
  ])('%d', (fraction, bar) => {
    expect(renderBar(fraction, 10)).toBe(bar);
  });
});

describe('estimateProgress', () => {
  it.each([
    ['no time passed', 0.2, 8000, 0, 0.2],
    ['half the ETA passed', 0.2, 8000, 4000, 0.6],
    ['past the ETA: capped below 100%', 0.2, 8000, 20_000, 0.99],
    ['no ETA', 0.4, undefined, 5000, 0.4],
    ['no progress yet', undefined, 1000, 500, 0.5],
  ])('%s', (_name, progress, eta, since, expected) => {
    expect(estimateProgress(progress, eta, since)).toBeCloseTo(expected, 5);
  });

  it('never goes back and never reaches 100% while pending', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 0.98, noNaN: true }),
        fc.integer({ min: 1, max: 1e7 }),
        fc.integer({ min: 0, max: 1e7 }),
        (progress, eta, since) => {
          const estimate = estimateProgress(progress, eta, since);
          return estimate >= progress && estimate <= 0.99;
        },
      ),
    );
  });
});

describe('renderProgressLine', () => {
  it.each([
    ['pending with an ETA', view({}), 'es  [██░░░░░░░░]  20%  transcribing     ~8.0s left'],
    ['counting down', view({ sinceMs: 4000 }), 'es  [██████░░░░]  60%  transcribing     ~4.0s left'],
    [
      'pending without an ETA',
      view({ etaMs: undefined, stage: undefined }),
      'es  [██░░░░░░░░]  20%  pending        ',
    ],
    ['completed', view({ result: 'completed', stage: 'done' }), 'es  [██████████] 100%  completed'],
    [
      'failed',
      view({ result: 'error', progress: 0.78, errorCode: 'lip_sync_failed' }),
      'es  [████████░░]  78%  failed: lip_sync_failed',
    ],
  ])('%s', (_name, v, line) => {
    expect(renderProgressLine(v, plain)).toBe(line);
  });

  it('colours only when asked', () => {
    expect(renderProgressLine(view({}), { ...plain, color: true })).toContain('\u001b[36m');
    expect(renderProgressLine(view({}), plain)).not.toContain('\u001b[');
  });
});

describe('redrawBoard', () => {
  it('draws the first board without moving up', () => {
    expect(redrawBoard(0, ['a', 'b'])).toBe('\r\u001b[2Ka\n\r\u001b[2Kb\n');
  });

  it('moves up over the previous board and clears each line', () => {
    expect(redrawBoard(2, ['a', 'b'])).toBe('\u001b[2A\r\u001b[2Ka\n\r\u001b[2Kb\n');
  });
});

describe('fitProgressLine', () => {
  it('never needs more than the columns it has, coloured or not', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 11, max: 200 }),
        fc.constantFrom<JobView['result']>('pending', 'completed', 'error'),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.boolean(),
        fc.string({ minLength: 1, maxLength: 30 }),
        (columns, result, progress, color, stage) => {
          const line = fitProgressLine(view({ result, progress, stage, errorCode: 'lip_sync_failed' }), {
            columns,
            labelWidth: 2,
            color,
          });
          return visibleLength(line) <= columns - 1;
        },
      ),
    );
  });

  it('keeps the widest bar that fits', () => {
    const wide = fitProgressLine(view({}), { columns: 120, labelWidth: 2, color: false });
    const narrow = fitProgressLine(view({}), { columns: 50, labelWidth: 2, color: false });
    expect(wide).toContain(`[${'█'.repeat(5)}${'░'.repeat(19)}]`);
    expect(visibleLength(narrow)).toBeLessThanOrEqual(49);
    expect(narrow).toMatch(/\[[█░]{4,20}\]/);
  });
});

describe('eraseBoard', () => {
  it('goes up over the board and clears everything below', () => {
    expect(eraseBoard(3)).toBe('\u001b[3A\r\u001b[J');
    expect(eraseBoard(0)).toBe('');
  });
});
