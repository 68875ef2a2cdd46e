/**
 * Waiters on raw TCP sockets, with the HTTP/1.1 request written by hand: ten thousand of them cost a
 * few megabytes in the load generator, where a full HTTP client would cost far more. Each resolves when
 * it has the job's terminal state, with the time it arrived and the job's `completed_at`.
 */
import net from 'node:net';

export interface HeldAnswer {
  /** `Date.now()` when the terminal state arrived. */
  readonly learnedAtMs: number;
  readonly completedAtMs: number;
  /** Requests this waiter sent (a long-poll is answered at each stage change and sent again). */
  readonly requests: number;
}

interface JobBody {
  readonly result?: string;
  readonly version?: number;
  readonly completed_at?: string | null;
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

function terminal(body: JobBody, learnedAtMs: number, requests: number): HeldAnswer | undefined {
  if (body.result === 'pending' || typeof body.completed_at !== 'string') return undefined;
  return { learnedAtMs, completedAtMs: Date.parse(body.completed_at), requests };
}

/** What a long-poll waiter asks to be woken by: any stage change, or only the job ending. */
export type Wake = 'change' | 'result';

/**
 * Long-polls `GET /jobs/:id` with `Prefer: wait=30` and `If-None-Match` on one keep-alive socket until
 * the job ends; with `wake` 'result' it adds `?wake=result`, so the server answers only when the job
 * ends. Resolves once connected with `done`, the promise of the terminal answer.
 */
export async function longPollWaiter(
  port: number,
  jobId: string,
  wake: Wake = 'change',
): Promise<{ done: Promise<HeldAnswer> }> {
  const socket = await connect(port);
  const path = wake === 'result' ? `/jobs/${jobId}?wake=result` : `/jobs/${jobId}`;
  let requests = 0;
  const ask = (version: number | undefined): void => {
    requests++;
    socket.write(
      `GET ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nprefer: wait=30\r\n` +
        (version === undefined ? '' : `if-none-match: "v${version}"\r\n`) +
        '\r\n',
    );
  };
  const done = new Promise<HeldAnswer>((resolve, reject) => {
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (;;) {
        const headEnd = buffer.indexOf('\r\n\r\n');
        if (headEnd === -1) return;
        const head = buffer.slice(0, headEnd);
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? NaN);
        // Bodies are ASCII JSON here, so string length equals byte length.
        if (Number.isNaN(length)) {
          reject(new Error(`answer without content-length: ${head.slice(0, 80)}`));
          return;
        }
        if (buffer.length < headEnd + 4 + length) return;
        const status = head.slice(9, 12);
        const text = buffer.slice(headEnd + 4, headEnd + 4 + length);
        buffer = buffer.slice(headEnd + 4 + length);
        if (status !== '200') {
          socket.destroy();
          reject(new Error(`HTTP ${status}: ${text.slice(0, 120)}`));
          return;
        }
        const body = JSON.parse(text) as JobBody;
        const answer = terminal(body, Date.now(), requests);
        if (answer !== undefined) {
          socket.end();
          resolve(answer);
          return;
        }
        ask(body.version);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => {
      reject(new Error('connection closed before the job ended'));
    });
  });
  ask(undefined);
  done.catch(() => undefined); // awaited later, with the others; never an unhandled rejection
  return { done };
}

/**
 * Calls `onData` with each `data:` line's JSON as it arrives on `socket` (each event is written whole;
 * only complete lines are read, the unfinished tail is kept for the next chunk).
 */
function onSseData(socket: net.Socket, onData: (body: JobBody) => void): void {
  let buffer = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    const lastNewline = buffer.lastIndexOf('\n');
    if (lastNewline === -1) return;
    const lines = buffer.slice(0, lastNewline).split('\n');
    buffer = buffer.slice(lastNewline + 1);
    for (const line of lines) {
      if (line.startsWith('data: ')) onData(JSON.parse(line.slice(6)) as JobBody);
    }
  });
}

const sseRequest = (path: string): string =>
  `GET ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\naccept: text/event-stream\r\n\r\n`;

/** Reads `GET /jobs/:id/events` until the terminal event. */
export async function eventStreamWaiter(port: number, jobId: string): Promise<{ done: Promise<HeldAnswer> }> {
  const socket = await connect(port);
  const done = new Promise<HeldAnswer>((resolve, reject) => {
    onSseData(socket, (body) => {
      const answer = terminal(body, Date.now(), 1);
      if (answer === undefined) return;
      socket.destroy();
      resolve(answer);
    });
    socket.on('error', reject);
    socket.on('close', () => {
      reject(new Error('stream closed before the terminal event'));
    });
  });
  socket.write(sseRequest(`/jobs/${jobId}/events`));
  done.catch(() => undefined); // awaited later, with the others; never an unhandled rejection
  return { done };
}

/**
 * Reads one multiplexed stream, `GET /events?ids=` (with `wake` 'result', only endings after the first
 * states), until every listed job has ended: one answer per job, in the order the endings came. Rejects
 * if the stream closes first, saying how many endings it had.
 */
export async function multiEventStreamWaiter(
  port: number,
  jobIds: readonly string[],
  wake: Wake = 'change',
): Promise<{ done: Promise<HeldAnswer[]> }> {
  const socket = await connect(port);
  const done = new Promise<HeldAnswer[]>((resolve, reject) => {
    const answers: HeldAnswer[] = [];
    onSseData(socket, (body) => {
      const answer = terminal(body, Date.now(), 1 / jobIds.length);
      if (answer === undefined) return;
      answers.push(answer);
      if (answers.length < jobIds.length) return;
      socket.destroy();
      resolve(answers);
    });
    socket.on('error', reject);
    socket.on('close', () => {
      reject(new Error(`stream closed after ${answers.length} of ${jobIds.length} endings`));
    });
  });
  const query = `ids=${jobIds.join(',')}${wake === 'result' ? '&wake=result' : ''}`;
  socket.write(sseRequest(`/events?${query}`));
  done.catch(() => undefined); // awaited later, with the others; never an unhandled rejection
  return { done };
}
