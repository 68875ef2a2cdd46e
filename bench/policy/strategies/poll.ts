/**
 * The one request every polling model makes: GET the job resource and say whether it has ended (in
 * this protocol's body or HeyGen's).
 */
export interface PollAnswer {
  readonly ended: boolean;
  readonly headers: Headers;
}

const ENDED = new Map<unknown, boolean>([
  ['pending', false],
  ['running', false],
  ['completed', true],
  ['error', true],
  ['failed', true],
]);

export async function pollOnce(fetchJob: typeof fetch, jobUrl: string): Promise<PollAnswer> {
  const response = await fetchJob(jobUrl, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`GET ${jobUrl} answered ${response.status}`);
  const body = (await response.json()) as { result?: unknown; data?: { status?: unknown } };
  // This protocol's `result`, or HeyGen's `data.status`.
  const ended = ENDED.get(body.result ?? body.data?.status);
  if (ended === undefined) {
    throw new Error(`GET ${jobUrl}: unexpected result ${JSON.stringify(body.result ?? body.data?.status)}`);
  }
  return { ended, headers: response.headers };
}
