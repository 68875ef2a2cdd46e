/**
 * Reading from a store as soon as it can answer: synchronously from one that can `peek` (a plain status
 * read then costs no promise at all), else through its promise.
 */
import type { JobResource } from '../protocol/job-resource.js';
import type { JobStore } from './store.js';

/** Reads job `id` and hands it (undefined when unknown) to `then`. */
export function withJob<R>(
  store: JobStore,
  id: string,
  then: (job: JobResource | undefined) => R | PromiseLike<R>,
): R | PromiseLike<R> {
  return store.peek === undefined ? store.get(id).then(then) : then(store.peek(id));
}

/** Reads every job in `ids` (one entry each, undefined when unknown) and hands them to `then`. */
export function withJobs<R>(
  store: JobStore,
  ids: readonly string[],
  then: (jobs: (JobResource | undefined)[]) => R | PromiseLike<R>,
): R | PromiseLike<R> {
  if (store.peek === undefined) return store.getMany(ids).then(then);
  const jobs: (JobResource | undefined)[] = [];
  for (const id of ids) jobs.push(store.peek(id));
  return then(jobs);
}
