/** A client on a scripted harness, for unit tests: random() = 0 takes no jitter off, so schedules are exact. */
import { TranslationClient } from '../client.js';
import type { ClientOptions } from '../options/types.js';
import { BASE, type Harness } from './scenario.js';

export function testClient(h: Harness, options: Partial<ClientOptions> = {}): TranslationClient {
  return new TranslationClient({
    baseUrl: BASE,
    fetch: h.fetch,
    clock: h.clock,
    random: () => 0,
    logger: h.logger,
    logLevel: 'debug',
    ...options,
  });
}
