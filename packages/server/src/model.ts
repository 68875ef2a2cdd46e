/**
 * The job model: pure functions from a job's inputs, a seed and the time to what a client sees.
 * Nothing here reads a clock or sleeps; the store supplies `now`.
 */
import type { Random } from './prng.js';
import { createRandom, uniform } from './prng.js';

export type JobResult = 'pending' | 'completed' | 'error';
export const JOB_RESULTS: readonly JobResult[] = ['pending', 'completed', 'error'];

export type ProcessingStage =
  'queued' | 'transcribing' | 'translating' | 'voice_synthesis' | 'lip_sync' | 'rendering';
export type JobStage = ProcessingStage | 'done' | 'failed';

/** Share of the processing time each stage takes (normalised over the stages a job actually has). */
export const STAGE_WEIGHTS: Readonly<Record<ProcessingStage, number>> = {
  queued: 5,
  transcribing: 20,
  translating: 10,
  voice_synthesis: 25,
  lip_sync: 25,
  rendering: 15,
};

export type JobErrorCode =
  | 'unsupported_audio'
  | 'transcription_failed'
  | 'translation_failed'
  | 'voice_synthesis_failed'
  | 'lip_sync_failed'
  | 'render_failed';

/** Every simulated failure, the stage it happens in and the message a user would see. */
export const JOB_ERRORS: Readonly<Record<JobErrorCode, { stage: ProcessingStage; message: string }>> = {
  unsupported_audio: {
    stage: 'transcribing',
    message: 'The audio track uses a codec the service cannot decode (AMR-NB); re-encode it as AAC or Opus',
  },
  transcription_failed: { stage: 'transcribing', message: 'No speech was detected in the audio track' },
  translation_failed: {
    stage: 'translating',
    message: 'The transcript could not be translated into the target language',
  },
  voice_synthesis_failed: {
    stage: 'voice_synthesis',
    message: "The voice model could not reproduce the speaker's voice",
  },
  lip_sync_failed: { stage: 'lip_sync', message: 'No face was found in 40% of frames' },
  render_failed: { stage: 'rendering', message: 'The renderer ran out of memory while encoding the output' },
};
export const JOB_ERROR_CODES = Object.keys(JOB_ERRORS) as JobErrorCode[];

export interface JobError {
  readonly code: JobErrorCode;
  readonly message: string;
}

/** What a caller asks for. */
export interface JobInput {
  readonly sourceLanguage: string;
  readonly targetLanguage: string;
  readonly videoDurationSeconds: number;
  /** @default true */
  readonly lipSync: boolean;
  /** Overrides for tests and demos. */
  readonly simulate?: SimulateOptions | undefined;
}

export interface SimulateOptions {
  /** Exact processing time in ms (not scaled by `timeScale`). */
  readonly durationMs?: number | undefined;
  readonly outcome?: 'completed' | 'error' | undefined;
  /** Which failure, when the outcome is an error. */
  readonly errorCode?: JobErrorCode | undefined;
}

/** Model tunables; see docs/server.md. */
export interface ModelSettings {
  /** Multiplies every modelled duration. */
  readonly timeScale: number;
  /** Fraction of jobs that fail, 0..1. */
  readonly errorRate: number;
  /** Half-width of the per-job ETA bias, e.g. 0.15 for ±15%. */
  readonly etaError: number;
}

export interface Transition {
  /** Milliseconds after creation. */
  readonly atMs: number;
  readonly stage: JobStage;
  readonly result: JobResult;
}

/** Everything decided once, at creation. */
export interface JobPlan {
  /** Nominal processing time to completion, ms. */
  readonly totalMs: number;
  /** Stage changes in order; the first is `queued` at 0 and the last is terminal. */
  readonly transitions: readonly Transition[];
  readonly error: JobError | undefined;
  /** Multiplier applied to the true remaining time in every ETA, drawn once per job. */
  readonly etaBias: number;
}

export const MS_PER_SECOND = 1000;

/** Complexity adds up to this many multiples of the video length. */
export const COMPLEXITY_FACTOR = 1.5;
/** Lip sync adds this many multiples of the video length. */
export const LIP_SYNC_FACTOR = 2;
/** Half-width of the multiplicative noise on the duration. */
export const DURATION_NOISE = 0.1;
/** The processing factor is kept within these multiples of the video length. */
export const MIN_FACTOR = 1;
export const MAX_FACTOR = 5;
/** A failure happens somewhere in this part of its stage (fractions of the stage). */
const FAIL_WITHIN_STAGE: readonly [number, number] = [0.2, 0.9];

/**
 * Processing time in ms: video length × clamp((1 + 1.5·complexity + 2·lipSync) × noise, 1, 5) × timeScale,
 * with complexity in [0, 1) and noise in [0.9, 1.1) drawn from the job's generator.
 */
export function modelDurationMs(input: JobInput, random: Random, timeScale: number): number {
  const complexity = random();
  const noise = uniform(random, 1 - DURATION_NOISE, 1 + DURATION_NOISE);
  const raw = (1 + COMPLEXITY_FACTOR * complexity + (input.lipSync ? LIP_SYNC_FACTOR : 0)) * noise;
  const factor = Math.min(MAX_FACTOR, Math.max(MIN_FACTOR, raw));
  return Math.round(input.videoDurationSeconds * MS_PER_SECOND * factor * timeScale);
}

/** The processing stages of a job, in order. */
export function stagesFor(lipSync: boolean): ProcessingStage[] {
  const all: ProcessingStage[] = [
    'queued',
    'transcribing',
    'translating',
    'voice_synthesis',
    'lip_sync',
    'rendering',
  ];
  return lipSync ? all : all.filter((s) => s !== 'lip_sync');
}

/** Error codes that can happen to a job with these stages. */
export function possibleErrors(lipSync: boolean): JobErrorCode[] {
  const stages = stagesFor(lipSync);
  return JOB_ERROR_CODES.filter((code) => stages.includes(JOB_ERRORS[code].stage));
}

/** Decides everything about a job from its input, its own seed and the model settings. */
export function planJob(input: JobInput, seed: number, settings: ModelSettings): JobPlan {
  const random = createRandom(seed);
  // Draw in a fixed order so a seed always means the same job, whatever is overridden.
  const modelled = modelDurationMs(input, random, settings.timeScale);
  const failDraw = random();
  const codeDraw = random();
  const failPoint = uniform(random, FAIL_WITHIN_STAGE[0], FAIL_WITHIN_STAGE[1]);
  const etaBias = 1 + uniform(random, -settings.etaError, settings.etaError);

  const totalMs = input.simulate?.durationMs ?? modelled;
  const outcome = input.simulate?.outcome ?? (failDraw < settings.errorRate ? 'error' : 'completed');
  const candidates = possibleErrors(input.lipSync);
  const code =
    outcome === 'error'
      ? (input.simulate?.errorCode ?? candidates[Math.floor(codeDraw * candidates.length)] ?? 'render_failed')
      : undefined;

  const stages = stagesFor(input.lipSync);
  const weightSum = stages.reduce((sum, s) => sum + STAGE_WEIGHTS[s], 0);
  const transitions: Transition[] = [];
  let start = 0;
  let cumulative = 0;
  for (const stage of stages) {
    cumulative += STAGE_WEIGHTS[stage];
    const end = Math.round((totalMs * cumulative) / weightSum);
    transitions.push({ atMs: start, stage, result: 'pending' });
    if (code !== undefined && JOB_ERRORS[code].stage === stage) {
      transitions.push({
        atMs: Math.round(start + (end - start) * failPoint),
        stage: 'failed',
        result: 'error',
      });
      return { totalMs, transitions, error: { code, message: JOB_ERRORS[code].message }, etaBias };
    }
    start = end;
  }
  // A requested error whose stage the job does not have (checked by the routes) fails at the end.
  if (code !== undefined) {
    transitions.push({ atMs: totalMs, stage: 'failed', result: 'error' });
    return { totalMs, transitions, error: { code, message: JOB_ERRORS[code].message }, etaBias };
  }
  transitions.push({ atMs: totalMs, stage: 'done', result: 'completed' });
  return { totalMs, transitions, error: undefined, etaBias };
}

export interface JobState {
  readonly stage: JobStage;
  readonly result: JobResult;
  /** 1 at creation, +1 per transition. */
  readonly version: number;
  /** Milliseconds after creation when the current state began. */
  readonly sinceMs: number;
}

/** The state of a job `elapsedMs` after its creation. */
export function stateAt(plan: JobPlan, elapsedMs: number): JobState {
  let index = 0;
  const transitions = plan.transitions;
  for (let i = 1; i < transitions.length; i++)
    if ((transitions[i] as Transition).atMs <= elapsedMs) index = i;
  const t = plan.transitions[index] as Transition;
  return { stage: t.stage, result: t.result, version: index + 1, sinceMs: t.atMs };
}

/** Milliseconds after creation of the next state change, or undefined once terminal. */
export function nextTransitionMs(plan: JobPlan, elapsedMs: number): number | undefined {
  return plan.transitions.find((t) => t.atMs > elapsedMs)?.atMs;
}

/** Progress 0..1: time-based, frozen at a failure, below 1 until done. Never decreases. */
export function progressAt(plan: JobPlan, elapsedMs: number): number {
  return progressIn(plan, stateAt(plan, elapsedMs), elapsedMs);
}

/** progressAt for a state already worked out. */
function progressIn(plan: JobPlan, state: JobState, elapsedMs: number): number {
  if (state.result === 'completed') return 1;
  if (plan.totalMs <= 0) return 0;
  const upTo = state.result === 'error' ? state.sinceMs : elapsedMs;
  const raw = Math.min(0.999, Math.max(0, upTo / plan.totalMs));
  return Math.floor(raw * 1000) / 1000;
}

/** How far a single read of the ETA may wander around the job's biased estimate. */
export const ETA_READ_NOISE = 0.03;

/**
 * The server's remaining-time estimate: the true time to completion × the job's bias × (1 ± 3% read
 * noise), never negative, undefined once terminal. It estimates completion even for jobs that will fail,
 * as a real backend cannot know.
 */
export function etaMs(plan: JobPlan, elapsedMs: number, readNoise: number): number | undefined {
  return etaIn(plan, stateAt(plan, elapsedMs), elapsedMs, readNoise);
}

/** etaMs for a state already worked out. */
function etaIn(plan: JobPlan, state: JobState, elapsedMs: number, readNoise: number): number | undefined {
  if (state.result !== 'pending') return undefined;
  const remaining = Math.max(0, plan.totalMs - elapsedMs);
  return Math.max(0, Math.round(remaining * plan.etaBias * (1 + readNoise)));
}

/** A stored job: its identity, input and plan. Its state is a function of time. */
export interface JobRecord {
  readonly id: string;
  readonly input: JobInput;
  readonly createdAtMs: number;
  readonly plan: JobPlan;
}

/** The job resource of docs/protocol.md, exactly as sent on the wire. */
export interface JobResource {
  id: string;
  result: JobResult;
  stage: JobStage;
  progress: number;
  source_language: string;
  target_language: string;
  video_duration_seconds: number;
  lip_sync: boolean;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  eta_ms?: number;
  version: number;
  error?: JobError;
}

/**
 * The ISO 8601 times of a record's creation then each of its transitions, worked out once per record:
 * formatting dates was the largest cost of answering a status read.
 */
const transitionTimes = new WeakMap<JobRecord, readonly string[]>();

function timesOf(record: JobRecord): readonly string[] {
  let times = transitionTimes.get(record);
  if (times === undefined) {
    const at = (offset: number): string => new Date(record.createdAtMs + offset).toISOString();
    times = [at(0), ...record.plan.transitions.map((t) => at(t.atMs))];
    transitionTimes.set(record, times);
  }
  return times;
}

/** Renders a record as seen at `nowMs`; `readNoise` is a draw in [-1, 1) scaled by ETA_READ_NOISE. */
export function describeJob(record: JobRecord, nowMs: number, readNoise = 0): JobResource {
  const elapsed = Math.max(0, nowMs - record.createdAtMs);
  const state = stateAt(record.plan, elapsed);
  const times = timesOf(record);
  const since = times[state.version] as string;
  const resource: JobResource = {
    id: record.id,
    result: state.result,
    stage: state.stage,
    progress: progressIn(record.plan, state, elapsed),
    source_language: record.input.sourceLanguage,
    target_language: record.input.targetLanguage,
    video_duration_seconds: record.input.videoDurationSeconds,
    lip_sync: record.input.lipSync,
    created_at: times[0] as string,
    updated_at: since,
    completed_at: state.result === 'pending' ? null : since,
    version: state.version,
  };
  const eta = etaIn(record.plan, state, elapsed, readNoise * ETA_READ_NOISE);
  if (eta !== undefined) resource.eta_ms = eta;
  if (state.result === 'error' && record.plan.error !== undefined) resource.error = { ...record.plan.error };
  return resource;
}
