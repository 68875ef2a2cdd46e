/**
 * Fixed-interval polling: the naive loop, and the OpenAI SDK's poll helpers.
 */
import { pollOnce } from './poll.js';
import type { Strategy } from './types.js';

/** Poll, then sleep `intervalMs`, until the job ends. */
export function fixedInterval(intervalMs: number): Strategy {
  return async (jobUrl, { fetch, clock }) => {
    while (!(await pollOnce(fetch, jobUrl)).ended) await clock.sleep(intervalMs);
  };
}

/** openai-node's helpers sleep 5 s between polls unless the caller passes `pollIntervalMs`. */
export const OPENAI_DEFAULT_INTERVAL_MS = 5000;

/**
 * openai-node `poll` helpers (Runs.poll, vector-store file poll): with no caller interval, sleep for the
 * `openai-poll-after-ms` header when it parses as an integer, else 5 s. Other hint headers are not read.
 */
export const openAiPollHelper: Strategy = async (jobUrl, { fetch, clock }) => {
  for (;;) {
    const answer = await pollOnce(fetch, jobUrl);
    if (answer.ended) return;
    const hinted = Number.parseInt(answer.headers.get('openai-poll-after-ms') ?? '', 10);
    await clock.sleep(Number.isNaN(hinted) ? OPENAI_DEFAULT_INTERVAL_MS : hinted);
  }
};
