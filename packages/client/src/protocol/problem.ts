/** The one place that turns an answer outside the protocol into a ProtocolError. */
import { ProtocolError, type ProtocolErrorFields } from '../errors/index.js';
import { parseStatus, type JobStatus, type ParsedStatus } from './status.js';

/** The start of a body, flattened to one line, for an error message. */
export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

export type ProblemFields = Omit<ProtocolErrorFields, 'body'> &
  ({ readonly text: string; readonly json?: never } | { readonly json: unknown; readonly text?: never });

/** A ProtocolError carrying the start of the offending body (raw text, or JSON already parsed). */
export function protocolError({ text, json, ...rest }: ProblemFields): ProtocolError {
  return new ProtocolError({ ...rest, body: excerpt(text ?? JSON.stringify(json)) });
}

/** The job status in `json`; well-formed JSON that is not a status will not fix itself, so it throws. */
export function statusOrThrow(
  json: unknown,
  context: Omit<ProtocolErrorFields, 'body' | 'problem'>,
  read: (body: unknown) => ParsedStatus = parseStatus,
): JobStatus {
  const parsed = read(json);
  if (!parsed.ok) throw protocolError({ ...context, problem: parsed.problem, json });
  return parsed.status;
}
