/**
 * Turns ajv errors (collected with allErrors) into one sentence that names every bad field and why.
 */

/** The parts of an ajv error this formatter reads. */
export interface SchemaError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Record<string, unknown>;
  readonly message?: string | undefined;
}

const LANGUAGE_HINT = "must be a language code like 'en' or 'pt-BR'";

function fieldOf(error: SchemaError, context: string): string {
  const path = error.instancePath.split('/').filter(Boolean).join('.');
  const extra =
    error.keyword === 'required'
      ? error.params['missingProperty']
      : error.keyword === 'additionalProperties'
        ? error.params['additionalProperty']
        : undefined;
  return [context, path, typeof extra === 'string' ? extra : ''].filter(Boolean).join('.');
}

function reasonOf(error: SchemaError): string {
  const p = error.params;
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a known field';
    case 'type':
      return `must be ${String(p['type']) === 'integer' ? 'an integer' : `a ${String(p['type'])}`}`;
    case 'pattern':
      return error.instancePath.endsWith('_language') ? LANGUAGE_HINT : `must match ${String(p['pattern'])}`;
    case 'exclusiveMinimum':
      return `must be greater than ${String(p['limit'])}`;
    case 'minimum':
      return `must be at least ${String(p['limit'])}`;
    case 'maximum':
      return `must be at most ${String(p['limit'])}`;
    case 'enum':
      return `must be one of ${(p['allowedValues'] as unknown[]).map(String).join(', ')}`;
    default:
      return error.message ?? 'is invalid';
  }
}

/** "body.video_duration_seconds must be greater than 0; body.target_language is required" */
export function formatSchemaErrors(errors: readonly SchemaError[], context: string): string {
  const parts = errors.map((e) => `${fieldOf(e, context)} ${reasonOf(e)}`);
  return [...new Set(parts)].join('; ');
}
