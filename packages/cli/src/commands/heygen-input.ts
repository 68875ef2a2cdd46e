/** `create --protocol heygen-v2|heygen-v3`: HeyGen's create body from the flags, checked. Pure. */
import type { HeyGenV2Input, HeyGenV3Input } from '@translation-status/client/heygen';
import { UsageError } from '../args/usage-error.js';

export interface HeyGenFlags {
  readonly target: string;
  readonly videoUrl: string | undefined;
  readonly mode: 'speed' | 'precision' | undefined;
  readonly callbackUrl: string | undefined;
  readonly simulate: { readonly durationMs?: number; readonly outcome?: 'completed' | 'error' };
  /** Flags of this protocol that HeyGen's API has no place for. */
  readonly unsupported: readonly string[];
}

/** Commas separate languages, except inside parentheses: `Chinese (Cantonese, Traditional),German`. */
export function languages(list: string): string[] {
  return list
    .split(/,(?![^(]*\))/)
    .map((language) => language.trim())
    .filter((language) => language !== '');
}

export function heygenInput(
  protocol: 'heygen-v2' | 'heygen-v3',
  flags: HeyGenFlags,
): HeyGenV2Input | HeyGenV3Input {
  const [unsupported] = flags.unsupported;
  if (unsupported !== undefined)
    throw new UsageError(`${unsupported} has no meaning with --protocol ${protocol}`);
  if (flags.videoUrl === undefined) {
    throw new UsageError(`--video-url is required with --protocol ${protocol}: a public URL of the video`);
  }
  const targets = languages(flags.target);
  const simulate = {
    ...(flags.simulate.durationMs === undefined ? {} : { duration_ms: flags.simulate.durationMs }),
    ...(flags.simulate.outcome === undefined ? {} : { outcome: flags.simulate.outcome }),
  };
  const extra = Object.keys(simulate).length === 0 ? {} : { simulate };
  if (protocol === 'heygen-v2') {
    if (targets.length !== 1)
      throw new UsageError('--protocol heygen-v2 translates into one language: give one --target');
    if (flags.mode !== undefined) throw new UsageError('--mode needs --protocol heygen-v3');
    if (flags.callbackUrl !== undefined)
      throw new UsageError('--callback-url needs --protocol heygen-v3 (v2 registers webhooks per account)');
    return { video_url: flags.videoUrl, output_language: targets[0] as string, ...extra };
  }
  return {
    video: { type: 'url', url: flags.videoUrl },
    output_languages: targets,
    ...(flags.mode === undefined ? {} : { mode: flags.mode }),
    ...(flags.callbackUrl === undefined ? {} : { callback_url: flags.callbackUrl }),
    ...extra,
  };
}
