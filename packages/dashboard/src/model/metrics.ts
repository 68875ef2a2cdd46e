/**
 * Reads the server's `/metrics` (Prometheus text format) into what the server panel shows, and turns
 * two readings into request rates. Pure.
 */

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** The metric names the panel reads (see packages/server metrics). */
export const METRIC = {
  requests: 'translation_status_http_requests_total',
  longPolls: 'translation_status_long_polls_held',
  streams: 'translation_status_event_streams_open',
  jobs: 'translation_status_jobs',
} as const;

const SAMPLE_LINE = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g;

/** Every sample of the text; comments, blank and unreadable lines are skipped. */
export function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = SAMPLE_LINE.exec(line.trim());
    if (match === null) continue;
    const value = Number(match[3]);
    if (Number.isNaN(value)) continue;
    const labels: Record<string, string> = {};
    for (const [, key = '', raw = ''] of (match[2] ?? '').matchAll(LABEL)) {
      labels[key] = raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: match[1] ?? '', labels, value });
  }
  return samples;
}

export interface ServerReading {
  /** Answered requests since the server started, by `METHOD route`. */
  readonly requestsByRoute: ReadonlyMap<string, number>;
  readonly heldLongPolls: number;
  readonly openStreams: number;
  readonly jobsByResult: ReadonlyMap<string, number>;
}

export function readServer(samples: readonly Sample[]): ServerReading {
  const requestsByRoute = new Map<string, number>();
  const jobsByResult = new Map<string, number>();
  let heldLongPolls = 0;
  let openStreams = 0;
  for (const sample of samples) {
    if (sample.name === METRIC.requests) {
      const key = `${sample.labels['method'] ?? '?'} ${sample.labels['route'] ?? '?'}`;
      requestsByRoute.set(key, (requestsByRoute.get(key) ?? 0) + sample.value);
    } else if (sample.name === METRIC.longPolls) {
      heldLongPolls = sample.value;
    } else if (sample.name === METRIC.streams) {
      openStreams = sample.value;
    } else if (sample.name === METRIC.jobs) {
      jobsByResult.set(sample.labels['result'] ?? '?', sample.value);
    }
  }
  return { requestsByRoute, heldLongPolls, openStreams, jobsByResult };
}

export interface RouteRate {
  /** `GET /jobs/:id/events` */
  readonly route: string;
  readonly perSecond: number;
}

/**
 * Requests per second by route between two readings `elapsedMs` apart, busiest first; routes with no
 * request in between are left out. A counter that went down means the server restarted: its new
 * total is what it answered since then.
 */
export function requestRates(before: ServerReading, after: ServerReading, elapsedMs: number): RouteRate[] {
  if (elapsedMs <= 0) return [];
  const rates: RouteRate[] = [];
  for (const [route, total] of after.requestsByRoute) {
    const previous = before.requestsByRoute.get(route) ?? 0;
    const delta = total >= previous ? total - previous : total;
    if (delta > 0) rates.push({ route, perSecond: (delta * 1000) / elapsedMs });
  }
  return rates.sort((a, b) => b.perSecond - a.perSecond || (a.route < b.route ? -1 : 1));
}
