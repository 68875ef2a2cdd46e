/**
 * HeyGen's video translation API, served over the same job model as this protocol (stages, ETA,
 * failures, faults, metrics, API keys): `/v2/video_translate` and `/v3/video-translations`. Both count
 * against one `--max-concurrent-jobs` per client, as HeyGen counts an account's jobs.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import type { JobInput } from '../domain/plan.js';
import { clientIdOf } from '../http/access.js';
import { ApiError, ErrorCode } from '../protocol/errors.js';
import type { JobResource } from '../protocol/job-resource.js';
import type { Callback } from '../webhooks/callback.js';
import { ConcurrentJobs } from './concurrent-jobs.js';
import { heygenV2Routes } from './heygen-v2.js';
import { heygenV3Routes } from './heygen-v3.js';

export interface HeyGenCreate {
  /** One job per output language. */
  readonly inputs: readonly JobInput[];
  readonly callback?: Callback | undefined;
  /** The request's Idempotency-Key, when the version has them (v3). */
  readonly key?: string | undefined;
}

/** What the two versions share. */
export interface HeyGenShared {
  /** Makes the jobs of one create (or answers the ones its Idempotency-Key made): their ids, in order. */
  create(request: FastifyRequest, create: HeyGenCreate): Promise<string[]>;
  /** The job, or a 404. */
  job(id: string): Promise<JobResource>;
}

/** Idempotency keys of this route are apart from POST /jobs's (HeyGen scopes them per endpoint). */
const KEY_SCOPE = 'heygen-v3:';
/** HeyGen replays a key's first answer even when the body differs a little: the body is not compared. */
const ANY_BODY = 'heygen';
const IN_PROGRESS = { 'retry-after': '1' };

export function heygenRoutes(app: FastifyInstance, ctx: AppContext): void {
  const concurrent = new ConcurrentJobs(ctx.store, ctx.clock, ctx.settings.maxConcurrentJobs);

  const make = async (
    clientId: string,
    { inputs, callback }: HeyGenCreate,
    keys: readonly (string | undefined)[],
  ) => {
    const jobs: JobResource[] = [];
    for (const [index, input] of inputs.entries()) {
      const job = await ctx.store.create(input, keys[index]);
      concurrent.track(clientId, job);
      if (callback !== undefined) await ctx.webhooks.register(job, callback);
      jobs.push(job);
    }
    return jobs.map((job) => job.id);
  };

  /**
   * One key per job: `<key>` for the first, `<key>#<n>` for the others. The first is claimed first
   * and completed last, so a replay that finds it done finds every other done too.
   */
  const createOnce = async (clientId: string, create: HeyGenCreate, key: string): Promise<string[]> => {
    const keys = create.inputs.map((_, n) => `${KEY_SCOPE}${key}${n === 0 ? '' : `#${n}`}`);
    const first = await ctx.store.claimKey(keys[0] as string, ANY_BODY);
    if (first.status === 'in_progress') {
      throw new ApiError(ErrorCode.IdempotencyInProgress, key, IN_PROGRESS);
    }
    if (first.status === 'done') return replay(first.jobId, key);
    try {
      concurrent.admit(clientId, create.inputs.length);
      for (const other of keys.slice(1)) await ctx.store.claimKey(other, ANY_BODY);
      const rest = await make(clientId, { ...create, inputs: create.inputs.slice(1) }, keys.slice(1));
      const made = await make(clientId, { ...create, inputs: create.inputs.slice(0, 1) }, keys.slice(0, 1));
      return [...made, ...rest];
    } catch (error) {
      // A refused or failed create gives its keys back (a key that made a job keeps it).
      await Promise.all(keys.map((scoped) => ctx.store.releaseKey(scoped).catch(() => undefined)));
      throw error;
    }
  };

  /** The ids a key made: the first job's, then `<key>#1`, `<key>#2`… while they answer. */
  const replay = async (firstId: string, key: string): Promise<string[]> => {
    const ids = [firstId];
    for (let n = 1; ; n++) {
      const scoped = `${KEY_SCOPE}${key}#${n}`;
      const claim = await ctx.store.claimKey(scoped, ANY_BODY);
      if (claim.status !== 'done') {
        if (claim.status === 'claimed') await ctx.store.releaseKey(scoped);
        return ids;
      }
      ids.push(claim.jobId);
    }
  };

  const shared: HeyGenShared = {
    async create(request, create) {
      const clientId = clientIdOf(request);
      if (create.key !== undefined) return createOnce(clientId, create, create.key);
      concurrent.admit(clientId, create.inputs.length);
      return make(clientId, create, []);
    },
    async job(id) {
      const job = await ctx.store.get(id);
      if (job === undefined) throw new ApiError(ErrorCode.JobNotFound, id);
      return job;
    },
  };
  heygenV2Routes(app, ctx, shared);
  heygenV3Routes(app, ctx, shared);
}
