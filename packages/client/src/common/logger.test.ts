import { describe, expect, it } from 'vitest';
import { createLogger, REDACTED, type Logger } from './logger.js';

function recorder(): {
  logger: Logger;
  lines: { level: string; fields: object; message: string | undefined }[];
} {
  const lines: { level: string; fields: object; message: string | undefined }[] = [];
  const at = (level: string) => (fields: object, message?: string) => {
    lines.push({ level, fields, message });
  };
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

describe('createLogger', () => {
  it('passes entries at or above the level, fields first', () => {
    const { logger, lines } = recorder();
    const log = createLogger(logger, 'warn', []);
    log.info({ a: 1 }, 'hidden');
    log.warn({ a: 2 }, 'shown');
    log.error({ a: 3 });
    expect(lines).toEqual([
      { level: 'warn', fields: { a: 2 }, message: 'shown' },
      { level: 'error', fields: { a: 3 }, message: undefined },
    ]);
  });

  it('says nothing when silent', () => {
    const { logger, lines } = recorder();
    createLogger(logger, 'silent', []).error({}, 'boom');
    expect(lines).toEqual([]);
  });

  it('hides the API key from the message and from nested fields', () => {
    const { logger, lines } = recorder();
    const log = createLogger(logger, 'debug', ['sk-secret']);
    log.debug({ url: 'http://x/?key=sk-secret', nested: { list: ['sk-secret'] } }, 'using sk-secret');
    expect(JSON.stringify(lines)).not.toContain('sk-secret');
    expect(lines[0]?.message).toBe(`using ${REDACTED}`);
  });

  it('hides authorization and apiKey fields whatever they hold', () => {
    const { logger, lines } = recorder();
    createLogger(logger, 'debug', []).info({
      headers: { Authorization: 'Bearer x' },
      apiKey: 'y',
      api_key: 'z',
    });
    expect(lines[0]?.fields).toEqual({
      headers: { Authorization: REDACTED },
      apiKey: REDACTED,
      api_key: REDACTED,
    });
  });

  it('logs errors as name, message and code, redacted', () => {
    const { logger, lines } = recorder();
    const error = Object.assign(new Error('key sk-1 refused'), { code: 'http_error' });
    createLogger(logger, 'debug', ['sk-1']).warn({ err: error });
    expect(lines[0]?.fields).toEqual({
      err: { name: 'Error', message: `key ${REDACTED} refused`, code: 'http_error' },
    });
  });

  it('survives circular fields', () => {
    const { logger, lines } = recorder();
    const loop: Record<string, unknown> = {};
    loop['self'] = loop;
    createLogger(logger, 'debug', []).info({ loop });
    expect(lines).toHaveLength(1);
  });

  it('never lets a throwing logger break the caller', () => {
    const throwing: Logger = {
      debug: () => {
        throw new Error('x');
      },
      info: () => {
        throw new Error('x');
      },
      warn: () => {
        throw new Error('x');
      },
      error: () => {
        throw new Error('x');
      },
    };
    expect(() => {
      createLogger(throwing, 'debug', []).error({}, 'boom');
    }).not.toThrow();
  });
});
