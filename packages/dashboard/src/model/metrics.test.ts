import { describe, expect, it } from 'vitest';
import { parsePrometheus, readServer, requestRates, type ServerReading } from './metrics.js';

const TEXT = `# HELP translation_status_http_requests_total HTTP requests answered
# TYPE translation_status_http_requests_total counter
translation_status_http_requests_total{method="GET",route="/jobs/:id/events",status_code="200"} 4
translation_status_http_requests_total{method="POST",route="/jobs",status_code="201"} 3
translation_status_http_requests_total{method="POST",route="/jobs",status_code="400"} 1
translation_status_http_requests_total{method="GET",route="/metrics",status_code="200"} 7

# TYPE translation_status_long_polls_held gauge
translation_status_long_polls_held 2
translation_status_event_streams_open 4
translation_status_jobs{result="pending"} 4
translation_status_jobs{result="completed"} 9
translation_status_jobs{result="error"} 1
process_cpu_seconds_total 0.5
`;

describe('parsePrometheus', () => {
  it('reads names, labels and values, skipping comments and blank lines', () => {
    const samples = parsePrometheus(TEXT);
    expect(samples).toHaveLength(10);
    expect(samples[1]).toEqual({
      name: 'translation_status_http_requests_total',
      labels: { method: 'POST', route: '/jobs', status_code: '201' },
      value: 3,
    });
  });

  it('unescapes label values and skips unreadable lines', () => {
    expect(parsePrometheus('m{a="x\\"y\\\\z"} 1\nnot a sample\nm2 NaN_ish\n')).toEqual([
      { name: 'm', labels: { a: 'x"y\\z' }, value: 1 },
    ]);
  });
});

describe('readServer', () => {
  it('sums requests by method and route over status codes, and reads the gauges', () => {
    expect(readServer(parsePrometheus(TEXT))).toEqual({
      requestsByRoute: new Map([
        ['GET /jobs/:id/events', 4],
        ['POST /jobs', 4],
        ['GET /metrics', 7],
      ]),
      heldLongPolls: 2,
      openStreams: 4,
      jobsByResult: new Map([
        ['pending', 4],
        ['completed', 9],
        ['error', 1],
      ]),
    });
  });
});

describe('requestRates', () => {
  const reading = (routes: Record<string, number>): ServerReading => ({
    requestsByRoute: new Map(Object.entries(routes)),
    heldLongPolls: 0,
    openStreams: 0,
    jobsByResult: new Map(),
  });

  it('gives requests per second between two readings, busiest first, leaving idle routes out', () => {
    const before = reading({ 'GET /metrics': 2, 'POST /jobs': 1, 'GET /healthz': 5 });
    const after = reading({ 'GET /metrics': 3, 'POST /jobs': 11, 'GET /healthz': 5, 'GET /jobs': 2 });
    expect(requestRates(before, after, 5000)).toEqual([
      { route: 'POST /jobs', perSecond: 2 },
      { route: 'GET /jobs', perSecond: 0.4 },
      { route: 'GET /metrics', perSecond: 0.2 },
    ]);
  });

  it('counts from zero when a counter went down (the server restarted)', () => {
    expect(requestRates(reading({ 'GET /metrics': 40 }), reading({ 'GET /metrics': 3 }), 1000)).toEqual([
      { route: 'GET /metrics', perSecond: 3 },
    ]);
  });

  it('gives nothing for readings no time apart', () => {
    expect(requestRates(reading({}), reading({ 'GET /metrics': 3 }), 0)).toEqual([]);
  });
});
