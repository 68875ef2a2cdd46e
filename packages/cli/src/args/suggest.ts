/** "Did you mean": the client library's `closestName`, worded for the command line. */
import { closestName } from '@translation-status/client';

/** ` Did you mean --timeout?`, or nothing. */
export function didYouMean(typed: string, known: readonly string[], prefix = ''): string {
  const match = closestName(typed, known);
  return match === undefined ? '' : ` Did you mean ${prefix}${match}?`;
}
