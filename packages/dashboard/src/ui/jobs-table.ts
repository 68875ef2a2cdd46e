/**
 * The jobs table: one row per job, newest first, each cell rewritten only when its text changes (so a
 * focused cancel button keeps its focus while the row ticks).
 */
import type { JobView } from '../model/job-view.js';
import { h, timeOf } from './dom.js';

const COLUMNS = ['Job', 'Languages', 'Video', 'Progress', 'ETA', 'Result', 'Created', 'Ended'] as const;

interface Row {
  readonly tr: HTMLTableRowElement;
  readonly cells: HTMLTableCellElement[];
  readonly progress: HTMLProgressElement;
  readonly stage: HTMLSpanElement;
  readonly cancel: HTMLButtonElement;
  /** The last text of each cell, to skip rewrites that change nothing. */
  readonly shown: string[];
}

export class JobsTable {
  readonly #body: HTMLTableSectionElement;
  readonly #empty: HTMLElement;
  readonly #count: HTMLElement;
  readonly #rows = new Map<string, Row>();
  readonly #onCancel: ((jobId: string) => void) | undefined;

  /** Without `onCancel` (a server that cannot cancel) no cancel button is shown. */
  constructor(
    table: HTMLTableElement,
    empty: HTMLElement,
    count: HTMLElement,
    onCancel: ((jobId: string) => void) | undefined,
  ) {
    const body = table.tBodies[0];
    if (body === undefined) throw new Error('The jobs table has no <tbody>');
    this.#body = body;
    this.#empty = empty;
    this.#count = count;
    this.#onCancel = onCancel;
  }

  /** Shows these jobs in this order (newest first), adding, updating and reordering rows. */
  render(views: readonly JobView[]): void {
    let previous: HTMLTableRowElement | undefined;
    for (const view of views) {
      const row = this.#rows.get(view.id) ?? this.#add(view.id);
      this.#fill(row, view);
      const expected: ChildNode | null =
        previous === undefined ? this.#body.firstChild : previous.nextSibling;
      if (expected !== row.tr) this.#body.insertBefore(row.tr, expected);
      previous = row.tr;
    }
    this.#empty.hidden = views.length > 0;
    this.#count.textContent = views.length === 0 ? '' : `(${views.length})`;
  }

  /** Enables a row's cancel button again (its cancel failed); it shows only while the job is pending. */
  allowCancel(jobId: string): void {
    const row = this.#rows.get(jobId);
    if (row !== undefined) row.cancel.disabled = false;
  }

  #add(jobId: string): Row {
    const cells = COLUMNS.map((label) => h('td', { 'data-label': label }));
    const progress = h('progress', { max: '100', value: '0' });
    const stage = h('span', { class: 'stage' });
    cells[3]?.append(h('div', {}, progress, stage));
    const cancel = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
    cancel.setAttribute('aria-label', `Cancel ${jobId}`);
    cancel.hidden = true;
    cancel.addEventListener('click', () => {
      cancel.disabled = true;
      this.#onCancel?.(jobId);
    });
    const tr = h('tr', { 'data-job': jobId }, ...cells);
    // Nothing shown yet: every cell is written on the first fill, even with an empty value.
    const row: Row = { tr, cells, progress, stage, cancel, shown: COLUMNS.map(() => '\u0001') };
    this.#rows.set(jobId, row);
    return row;
  }

  #fill(row: Row, view: JobView): void {
    /** Rewrites cell `index` with `content()` when `key` (what it shows) changed. */
    const set = (index: number, key: string, content: () => (Node | string)[]): void => {
      const cell = row.cells[index];
      if (cell === undefined || row.shown[index] === key) return;
      row.shown[index] = key;
      cell.replaceChildren(...content());
    };
    set(0, view.id, () => [h('code', {}, view.id)]);
    set(1, view.languages, () => [view.languages]);
    set(2, view.video, () => [view.video]);
    if (row.shown[3] !== `${view.percent} ${view.stage}`) {
      row.shown[3] = `${view.percent} ${view.stage}`;
      row.progress.value = view.percent;
      row.progress.setAttribute('aria-label', `${view.id}: ${view.percent}%, ${view.stage}`);
      row.stage.textContent = `${view.stage} · ${view.percent}%`;
    }
    set(4, view.eta, () => [view.eta]);
    // The cancel button sits beside the `pending` badge, so it needs no column of its own; the cell is
    // rewritten only when the result changes, and then the button hides anyway.
    set(5, `${view.resultText}\u0000${view.detail ?? ''}`, () => [
      h(
        'div',
        {},
        h('span', { class: 'badge', 'data-badge': view.badge }, view.resultText),
        view.detail === undefined ? '' : h('span', { class: 'detail' }, view.detail),
        row.cancel,
      ),
    ]);
    set(6, view.createdAt ?? '', () => [timeOf(view.createdAt)]);
    set(7, view.endedAt ?? '', () => [timeOf(view.endedAt)]);
    const cancellable = this.#onCancel !== undefined && view.badge === 'pending';
    if (row.cancel.hidden === cancellable) row.cancel.hidden = !cancellable;
  }
}
