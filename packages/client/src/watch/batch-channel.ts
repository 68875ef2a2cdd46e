/**
 * Held batch reads (`GET /jobs?ids=` with `Prefer: wait`) as a channel of the client's `StreamHub`, for
 * a server with the batch endpoint but no multiplexed stream: one read at a time for up to
 * `batch.maxIds` jobs of separate waits. Plain while a job has no status yet (an unknown one is told
 * at once); then held as one watch's long-poll is (the same hold plan, wake choice and busy-loop
 * guard, bounded by the job due first) or, where the server cannot hold, polled at that job's pace.
 * A refused route or an answer not understood gives batches up for every wait.
 */
import { HttpError } from '../errors/index.js';
import { readJson } from '../http/retrying-request.js';
import { parseBatch } from '../protocol/batch.js';
import { readHints } from '../protocol/hints.js';
import { holdHeaders, withBatchVersions, withWakeOnResult } from '../protocol/long-poll.js';
import { batchUrl } from '../protocol/paths.js';
import type { JobStatus } from '../protocol/status.js';
import { TRANSPORT_RETRY_MS, type StepContext } from './context.js';
import { heldAttempts } from './held-attempts.js';
import { busyLoopPauseMs, planHold } from './hold-plan.js';
import { Pauses } from './pauses.js';
import { meetsServer } from './run-watch.js';
import { Channel } from './shared-channel.js';
import { suspectAt } from './silence.js';
import { createWatchState, unavailableAt } from './state.js';
import { pollStep } from './steps/poll.js';
import { chooseStep } from './transport-choice.js';

/** Answers by which a server says it has no batch endpoint (for this client). */
const REFUSED = [400, 404, 405, 501];

class NotUnderstood extends Error {}

export class BatchChannel extends Channel {
  /** What the batch learns of the server and of its own pace: hints, holds given up, poll memory. */
  readonly #state = createWatchState(undefined, '', this.hub.deps.clock.now());
  /** The batch as one watch: its deadline is the earliest among its jobs'. */
  readonly #ctx: StepContext = {
    deps: this.hub.deps,
    settings: this.settings,
    pauses: new Pauses(this.hub.deps.clock),
    listener: {
      followsStages: () => !this.wakeOnResult,
      remainingMs: () => Math.min(...[...this.members.values()].map((m) => m.ctx.listener.remainingMs())),
      onStatus: () => undefined,
      onRequest: () => undefined,
    },
  };

  /** A plain read is in progress: joiners wait for its answer rather than cut it (see `reopen`). */
  #reading = false;

  /**
   * A joiner cuts a hold or a sleep short, not a plain read: that answer is due within a request
   * timeout, and cutting it each time another wait joins could starve the jobs already here.
   */
  protected override reopen(): void {
    if (!this.#reading) super.reopen();
  }

  protected async run(): Promise<void> {
    const { server } = this.hub.deps;
    try {
      // On a server not met yet, the first batch asks and the others wait for its answer (one request
      // timeout at most; a channel closed meanwhile ends then).
      if (server.capabilities === undefined && server.discovery !== undefined) await server.discovery;
      while (this.open) {
        if (this.settings.transport === 'auto' && server.capabilities?.multiEvents === true) {
          this.endAll({ kind: 'fallback', reason: 'the server multiplexes event streams', forMs: Infinity });
          return;
        }
        await this.connect((signal) => this.#step(signal));
      }
    } catch (error) {
      if (this.stop.signal.aborted) return; // closed: no job left
      const refused =
        error instanceof NotUnderstood || (error instanceof HttpError && REFUSED.includes(error.status));
      const why = error instanceof Error ? error.message : String(error);
      this.giveUp(`held batches failed: ${why}`, refused ? Infinity : TRANSPORT_RETRY_MS);
    }
  }

  async #step(signal: AbortSignal): Promise<void> {
    const { clock, server } = this.hub.deps;
    const members = [...this.members.values()];
    const statuses = members.map((m) => m.state.status);
    const step = chooseStep({
      mode: this.settings.transport,
      capabilities: this.#state.hints?.capabilities ?? server.capabilities,
      unavailable: unavailableAt(this.#state, clock.now()),
      streamUrlKnown: false,
      shareable: false,
      batched: false,
      first: false,
      followsStages: !this.wakeOnResult,
      holdS: this.#holdS(0),
    });
    const transport = step === 'long-poll' ? step : 'poll';
    if (statuses.includes(undefined)) {
      // A job not read yet (a joiner) is read plainly, so that one the server does not know fails now.
      const read = this.#read(transport, false, signal);
      meetsServer(this.#ctx, read, signal);
      await read;
      return;
    }
    if (transport === 'poll') {
      // The job expected to end first sets the pace for the whole batch.
      const pace = (statuses as JobStatus[]).sort((a, b) => (a.etaMs ?? Infinity) - (b.etaMs ?? Infinity));
      await pollStep(this.#ctx, this.#state, pace[0] as JobStatus, signal, () =>
        this.#read(transport, false, signal),
      );
      return;
    }
    const versions = statuses.map((s) => s?.version);
    const { heldS, sentAt } = await this.#read(transport, true, signal);
    if (heldS === undefined) return; // a plain read: nothing to judge the holding by
    if (this.#state.hints?.preferenceAppliedWaitS === undefined) {
      (this.#state.unavailable ??= new Map()).set('long-poll', Infinity);
      return;
    }
    // Unchanged only if every job is still here at the version it had.
    const changed = members.some((m, i) => m.channel !== this || m.state.status?.version !== versions[i]);
    const pauseMs = busyLoopPauseMs(changed, clock.now() - sentAt, this.settings.polling);
    if (pauseMs > 0) await clock.sleep(pauseMs, signal);
  }

  /** The hold the batch can ask for now: the job due first bounds it (see `holdSeconds`). */
  #holdS(failures: number): number {
    let suspect = Infinity;
    for (const m of this.members.values())
      suspect = Math.min(suspect, suspectAt(m.state.status, m.state.statusAt) ?? Infinity);
    return planHold(this.#ctx, suspect === Infinity ? undefined : suspect, failures);
  }

  /** One batch read of the jobs on the channel, held when `hold` (each attempt sized afresh). */
  async #read(
    transport: 'long-poll' | 'poll',
    hold: boolean,
    signal: AbortSignal,
  ): Promise<{ heldS: number | undefined; sentAt: number }> {
    const { deps } = this.hub;
    const members = [...this.members.values()];
    const url = batchUrl(
      deps.baseUrl,
      members.map((m) => m.jobId),
    );
    const attempts = heldAttempts({
      deps,
      jobId: undefined,
      holdS: (failures) => (hold ? this.#holdS(failures) : 0),
      // Endings only: the server holds through stage changes. Otherwise the versions known let it answer
      // at once if any job moved on, so no change is missed.
      held: (waitS) => ({
        url: this.wakeOnResult
          ? withWakeOnResult(url)
          : withBatchVersions(
              url,
              members.map((m) => m.state.status?.version),
            ),
        headers: holdHeaders(waitS, undefined),
        heldMs: waitS * 1000,
      }),
      plain: () => ({ url }),
    });
    this.#state.plannedAt = undefined;
    this.#reading = !hold;
    let answer;
    try {
      answer = await readJson(
        deps,
        { ...this.reader(transport), signal, counters: this.#state.counters },
        attempts.attempt,
      );
    } finally {
      this.#reading = false;
    }
    const parsed = parseBatch(answer.json);
    if (!parsed.ok) throw new NotUnderstood(`the batch answer is not understood: ${parsed.problem}`);
    this.#state.hints = readHints(answer.headers, undefined, deps.clock.now(), url);
    deps.server.capabilities = this.#state.hints.capabilities;
    for (const member of members) {
      const entry = parsed.entries.get(member.jobId);
      if (entry === undefined) throw new NotUnderstood(`the batch answer leaves out job '${member.jobId}'`);
      if (member.channel !== this) continue;
      if ('error' in entry) this.settle(member, { kind: 'missing', ...entry.error });
      else this.deliver(member.jobId, entry.status);
    }
    return { heldS: attempts.heldS(), sentAt: attempts.sentAt() };
  }
}
