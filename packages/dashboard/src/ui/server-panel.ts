/**
 * The server panel: gauges and request rates from `/metrics`, and the page's own request count
 * beside what a once-a-second poller would have spent on the same jobs.
 */
import type { RouteRate, ServerReading } from '../model/metrics.js';
import { byId, h } from './dom.js';

export interface RequestTally {
  /** Requests the client library made for this page (creates, streams, batches, retries). */
  readonly clientRequests: number;
  /** The page's own reads: the job list and these metrics. */
  readonly pageRequests: number;
  readonly jobsFollowed: number;
  /** What a 1 s poller would have made for the same jobs. */
  readonly naive: number;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export class ServerPanel {
  readonly #longPolls = byId('m-long-polls', HTMLElement);
  readonly #streams = byId('m-streams', HTMLElement);
  readonly #jobs = byId('m-jobs', HTMLElement);
  readonly #rates = byId('rates', HTMLTableElement);
  readonly #counter = byId('request-counter', HTMLElement);

  showReading(reading: ServerReading, rates: readonly RouteRate[] | undefined): void {
    this.#longPolls.textContent = String(reading.heldLongPolls);
    this.#streams.textContent = String(reading.openStreams);
    this.#jobs.textContent =
      [...reading.jobsByResult].map(([result, n]) => `${result} ${n}`).join(' · ') || 'none';
    if (rates === undefined) return;
    const body = this.#rates.tBodies[0];
    const rows =
      rates.length === 0
        ? [h('tr', {}, h('td', { colspan: '2', class: 'muted' }, 'no requests since the last reading'))]
        : rates.map((rate) =>
            h(
              'tr',
              {},
              h('td', {}, h('code', {}, rate.route)),
              h('td', { class: 'num' }, rate.perSecond.toFixed(2)),
            ),
          );
    body?.replaceChildren(...rows);
  }

  showTally(tally: RequestTally): void {
    const ratio =
      tally.clientRequests > 0 && tally.naive > 0
        ? ` (${(tally.naive / tally.clientRequests).toFixed(1)}× fewer)`
        : '';
    this.#counter.replaceChildren(
      h('strong', {}, plural(tally.clientRequests, 'request')),
      ` by the client library for ${plural(tally.jobsFollowed, 'job')}; a 1 s poller would have made `,
      h('strong', {}, String(tally.naive)),
      `${ratio}. Plus ${plural(tally.pageRequests, 'read')} of the job list and metrics by the page itself.`,
    );
  }
}
