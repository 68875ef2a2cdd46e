/**
 * The one request every polling model makes: GET the job resource and say whether it has ended.
 */
export interface PollAnswer {
  readonly ended: boolean;
  readonly headers: Headers;
}

export async function pollOnce(fetchJob: typeof fetch, jobUrl: string): Promise<PollAnswer> {
  const response = await fetchJob(jobUrl, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`GET ${jobUrl} answered ${response.status}`);
  const body = (await response.json()) as { result?: unknown };
  if (body.result !== 'pending' && body.result !== 'completed' && body.result !== 'error') {
    throw new Error(`GET ${jobUrl}: unexpected result ${JSON.stringify(body.result)}`);
  }
  return { ended: body.result !== 'pending', headers: response.headers };
}
