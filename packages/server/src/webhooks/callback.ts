/**
 * `callback_url` and `callback_events` of `POST /jobs`: what is accepted, as pure functions. The URL's
 * host must be on the allow-list (`--webhook-allow-hosts`, loopback only by default), so the simulator
 * cannot be turned into a forwarder of requests to hosts its operator did not choose.
 */
import {
  DEFAULT_CALLBACK_EVENTS,
  MAX_CALLBACK_URL_LENGTH,
  WEBHOOK_EVENT_TYPES,
  type WebhookEventType,
} from '../protocol/webhook-event.js';

export interface Callback {
  readonly url: string;
  readonly events: readonly WebhookEventType[];
  /**
   * The event's body in another API's shape: HeyGen's `video_translate.*` event (with its
   * `callback_id`); this protocol's `eventBody` otherwise. Data, not a function: callbacks are stored.
   */
  readonly shape?: { readonly api: 'heygen'; readonly callbackId?: string | undefined } | undefined;
}

export type CallbackCheck =
  | { readonly ok: true; readonly callback: Callback }
  | { readonly ok: false; readonly field: 'callback_url' | 'callback_events'; readonly problem: string };

/**
 * Whether `hostname` (as `URL.hostname` gives it: lower case, IPv6 in brackets) matches a pattern: an
 * exact host, `*.example.com` for its subdomains, or `*` for any host.
 */
export function hostAllowed(hostname: string, patterns: readonly string[]): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  return patterns.some((raw) => {
    const pattern = raw
      .trim()
      .toLowerCase()
      .replace(/^\[(.*)\]$/, '$1');
    if (pattern === '*') return true;
    if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1));
    return host === pattern;
  });
}

/** Checks a job's callback fields; `url` undefined means no webhooks for this job. */
export function checkCallback(
  url: string,
  events: readonly string[] | undefined,
  allowHosts: readonly string[],
): CallbackCheck {
  const bad = (problem: string): CallbackCheck => ({ ok: false, field: 'callback_url', problem });
  if (url.length > MAX_CALLBACK_URL_LENGTH)
    return bad(`must be at most ${MAX_CALLBACK_URL_LENGTH} characters`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return bad('must be an absolute http or https URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return bad('must be an http or https URL');
  if (parsed.username !== '' || parsed.password !== '') return bad('must not carry a user name or password');
  if (!hostAllowed(parsed.hostname, allowHosts)) {
    return bad(
      `host '${parsed.hostname}' is not allowed by this server's --webhook-allow-hosts (${allowHosts.join(', ')})`,
    );
  }
  if (events === undefined)
    return { ok: true, callback: { url: parsed.href, events: DEFAULT_CALLBACK_EVENTS } };
  if (events.length === 0) {
    return { ok: false, field: 'callback_events', problem: 'must list at least one event type' };
  }
  const unknown = events.find((type) => !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(type));
  if (unknown !== undefined) {
    return {
      ok: false,
      field: 'callback_events',
      problem: `'${unknown.slice(0, 40)}' is not an event type; use ${WEBHOOK_EVENT_TYPES.join(', ')}`,
    };
  }
  return {
    ok: true,
    callback: { url: parsed.href, events: [...new Set(events)] as WebhookEventType[] },
  };
}
