/**
 * Splits the server's 400 message into the fields it names, so each reason can stand beside its
 * input. Pure. The server's words are kept; only the `body.` prefix is dropped.
 *
 * `The request is invalid: body.target_language is required; body.video_duration_seconds must be
 * greater than 0.` → target_language: `target_language is required`, video_duration_seconds: ...
 */

export interface FieldErrors {
  /** By body path (`simulate.duration_ms`), each with the server's sentences about it. */
  readonly fields: ReadonlyMap<string, readonly string[]>;
  /** What names no field. */
  readonly other: readonly string[];
}

const PREFIX = /^The request is invalid:\s*/;
const FIELD = /^body\.([\w.]+)\b/;

export function fieldErrors(message: string): FieldErrors {
  const fields = new Map<string, string[]>();
  const other: string[] = [];
  const parts = message
    .replace(PREFIX, '')
    .replace(/\.\s*$/, '')
    .split(/;\s*/)
    .filter((part) => part !== '');
  for (const part of parts) {
    const field = FIELD.exec(part)?.[1];
    if (field === undefined) {
      other.push(part);
      continue;
    }
    const said = part.replaceAll('body.', '');
    fields.set(field, [...(fields.get(field) ?? []), said]);
  }
  return { fields, other };
}
