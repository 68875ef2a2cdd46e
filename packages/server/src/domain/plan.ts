/**
 * A job's plan: everything about it decided once, at creation, from its input, a seed and the model
 * settings (how long each stage takes, whether and where it fails, how wrong its ETA is). Pure.
 */
import type { Random } from './prng.js';
import { createRandom, uniform } from './prng.js';

export type JobResult = 'pending' | 'completed' | 'error';
export const JOB_RESULTS: readonly JobResult[] = ['pending', 'completed', 'error'];

export type ProcessingStage =
  'queued' | 'transcribing' | 'translating' | 'voice_synthesis' | 'lip_sync' | 'rendering';
/** `canceled` is the stage of a job ended by DELETE /jobs/:id (see domain/cancel.ts). */
export type JobStage = ProcessingStage | 'done' | 'failed' | 'canceled';

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
