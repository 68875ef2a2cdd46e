/**
 * A scripted stand-in for `fetch`, for unit tests of a single module: each request is recorded (with
 * the clock's time) and answered by the test's handler. Integration tests use the real server instead.
 */
export interface RecordedRequest {
  readonly at: number;
  readonly url: URL;
  readonly method: string;
  readonly headers: Headers;
  readonly body: string | undefined;
  readonly signal: AbortSignal | undefined;
}

export type Handler = (request: RecordedRequest) => Response | Promise<Response>;

export interface FakeFetch {
  readonly fetch: typeof fetch;
  readonly requests: RecordedRequest[];
}

export function createFakeFetch(now: () => number, handler: Handler): FakeFetch {
  const requests: RecordedRequest[] = [];
  const fake = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const recorded: RecordedRequest = {
      at: now(),
      url,
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? init.body : undefined,
      signal: init?.signal ?? undefined,
    };
    requests.push(recorded);
    recorded.signal?.throwIfAborted();
    const answer = handler(recorded);
    if (recorded.signal === undefined) return answer;
    const signal = recorded.signal;
    // Like a real fetch, an abort wins over an answer that has not arrived yet.
    return new Promise<Response>((resolve, reject) => {
      const onAbort = (): void => {
        reject(signal.reason as Error);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      Promise.resolve(answer).then(
        (response) => {
          signal.removeEventListener('abort', onAbort);
          resolve(response);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- pass the handler's failure through
          reject(error);
        },
      );
    });
  };
  return { fetch: fake, requests };
}

/** A JSON answer, with extra headers. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** A Server-Sent Events answer whose frames the test pushes, and which it may end or break. */
export function eventStream(): {
  response: Response;
  send(frame: string): void;
  end(): void;
  fail(error: Error): void;
  readonly cancelled: boolean;
} {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let cancelled = false;
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel() {
      cancelled = true;
    },
  });
  return {
    response: new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
    send: (frame) => {
      controller.enqueue(encoder.encode(frame));
    },
    end: () => {
      controller.close();
    },
    fail: (error) => {
      controller.error(error);
    },
    get cancelled() {
      return cancelled;
    },
  };
}
