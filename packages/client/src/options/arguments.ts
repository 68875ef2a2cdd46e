/**
 * The public methods' arguments (job ids, the job to create) checked with their options, so a call
 * with a wrong argument fails at once with every problem named, instead of asking the server for
 * `/jobs/12345` or sending a body it will refuse.
 */
import type { ConfigurationErrorFields } from '../errors/index.js';
import type { CreateJobInput } from '../protocol/create-job.js';
import { checked, knownObject, type Issues } from './issues.js';
import { CREATE_JOB_OPTION_KEYS, GET_STATUS_KEYS, SIMULATE_KEYS, WAIT_FOR_ALL_KEYS } from './known-keys.js';
import { readWaitOptions, WAIT_RULES } from './resolve.js';
import { callback, elsewhere, flag, readObject, shape, type Rule } from './rules.js';
import type { ResolvedClientOptions, ResolvedWaitOptions } from './types.js';
import { isPlainObject } from './validate.js';

const JOB_ID = 'a job id (a non-empty string)';

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** A job id, or (unless `required`) undefined for the server's default job (`GET /status`). */
export function checkJobId(
  issues: Issues,
  value: unknown,
  required = false,
  option = 'jobId',
): string | undefined {
  if ((value === undefined && !required) || isText(value)) return value;
  issues.push({
    option,
    value,
    expected: required ? JOB_ID : `${JOB_ID}, or nothing for the default job`,
  });
  return undefined;
}

export function checkJobIds(issues: Issues, value: unknown): string[] {
  if (Array.isArray(value))
    return value.flatMap((id: unknown, i) => checkJobId(issues, id, true, `jobIds[${i}]`) ?? []);
  const example = typeof value === 'string' ? ` (one job: [${JSON.stringify(value)}])` : '';
  issues.push({ option: 'jobIds', value, expected: `an array of job ids${example}` });
  return [];
}

/** Only the types: the ranges are the server's to decide, and its answer names them. */
const INPUT_RULES = {
  sourceLanguage: shape(isText, "a language code such as 'en'", false),
  targetLanguage: shape(isText, "a language code such as 'es'", false),
  videoDurationSeconds: shape(Number.isFinite, 'a number of seconds', false),
  lipSync: flag(true),
  simulate: elsewhere,
  // The server checks these (the allow-list is its own) and names the field it refuses.
  callbackUrl: elsewhere,
  callbackEvents: elsewhere,
} satisfies Record<keyof CreateJobInput, Rule>;

/** The job to create: known keys only (camelCase), with the required ones present and of their type. */
export function checkCreateJobInput(issues: Issues, input: unknown): CreateJobInput {
  if (!isPlainObject(input)) {
    issues.push({
      option: 'input',
      value: input,
      expected: 'an object with sourceLanguage, targetLanguage, …',
    });
  } else {
    readObject(issues, 'input', input, {}, INPUT_RULES);
    knownObject(issues, 'input.simulate', input['simulate'], SIMULATE_KEYS);
  }
  return input as CreateJobInput;
}

/** `createJob`'s input and options; `checkInput` replaces the check of this library's input (another protocol's). */
export function resolveCreateJob(
  client: ResolvedClientOptions,
  input: unknown,
  options: unknown,
  checkInput?: (input: unknown) => readonly ConfigurationErrorFields[],
): { wait: ResolvedWaitOptions } {
  return checked((issues) => {
    if (checkInput === undefined) checkCreateJobInput(issues, input);
    else for (const issue of checkInput(input)) issues.push(issue);
    return { wait: readWaitOptions(issues, client, options, CREATE_JOB_OPTION_KEYS) };
  });
}

/** A job id and one call's options; `known` are that call's option keys. */
export function resolveJobCall(
  client: ResolvedClientOptions,
  jobId: unknown,
  options: unknown,
  known: readonly string[] = GET_STATUS_KEYS,
  idRequired = false,
): { jobId: string | undefined; wait: ResolvedWaitOptions } {
  return checked((issues) => ({
    jobId: checkJobId(issues, jobId, idRequired),
    wait: readWaitOptions(issues, client, options, known),
  }));
}

const WAIT_FOR_ALL_RULES = { ...WAIT_RULES, onSettled: callback() };

/** `waitForAll`'s ids and options, `onSettled` included. */
export function resolveWaitForAll(
  client: ResolvedClientOptions,
  jobIds: unknown,
  options: unknown,
): { ids: string[]; wait: ResolvedWaitOptions; onSettled: ((result: never) => void) | undefined } {
  return checked((issues) => {
    const ids = checkJobIds(issues, jobIds);
    const { onSettled, ...wait } = readWaitOptions(
      issues,
      client,
      options,
      WAIT_FOR_ALL_KEYS,
      WAIT_FOR_ALL_RULES,
    ) as ResolvedWaitOptions & { onSettled: ((result: never) => void) | undefined };
    return { ids, wait, onSettled };
  });
}
