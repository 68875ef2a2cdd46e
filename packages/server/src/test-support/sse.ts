/** Reading Server-Sent Events and metrics in tests of a running server over real sockets. */
import type { RunningServer } from '../server.js';

export interface StreamEvent {
  readonly event: string;
  readonly id: string | undefined;
  readonly data: { readonly id: string; readonly version?: number; readonly result?: string };
}

/** The events of an SSE text (comments and the `retry:` line left out). */
export function eventsOf(text: string): StreamEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('event: '))
    .map((block) => {
      const field = (name: string): string | undefined =>
        block
          .split('\n')
          .find((line) => line.startsWith(`${name}: `))
          ?.slice(name.length + 2);
      return {
        event: field('event') ?? '',
        id: field('id'),
        data: JSON.parse(field('data') ?? '{}') as StreamEvent['data'],
      };
    });
}

/** Reads a stream until `enough` says so (then drops the connection), or until the server ends it. */
export async function readUntil(
  res: Response,
  enough: (events: StreamEvent[]) => boolean = () => false,
): Promise<StreamEvent[]> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return eventsOf(text);
    text += decoder.decode(value, { stream: true });
    const events = eventsOf(text.slice(0, text.lastIndexOf('\n\n') + 2));
    if (enough(events)) {
      await reader.cancel();
      return events;
    }
  }
}

/** The value of an unlabelled metric (a gauge) from the server's /metrics. */
export async function metric(server: RunningServer, name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return Number(
    text
      .split('\n')
      .find((line) => line.startsWith(`${name} `))
      ?.split(' ')[1],
  );
}

/** The ids of the jobs that end (a result other than pending) in `events`, in the order they end. */
export const endings = (events: readonly StreamEvent[]): string[] =>
  events.filter((e) => e.data.result !== undefined && e.data.result !== 'pending').map((e) => e.data.id);
