import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../settings/settings.js';
import { checkCallback, hostAllowed } from './callback.js';

const LOOPBACK_HOSTS = DEFAULT_SETTINGS.webhookAllowHosts;

describe('hostAllowed', () => {
  it.each([
    ['127.0.0.1', LOOPBACK_HOSTS, true],
    ['localhost', LOOPBACK_HOSTS, true],
    ['[::1]', LOOPBACK_HOSTS, true],
    ['10.0.0.1', LOOPBACK_HOSTS, false],
    ['169.254.169.254', LOOPBACK_HOSTS, false],
    ['example.com', LOOPBACK_HOSTS, false],
    ['hooks.example.com', ['*.example.com'], true],
    ['example.com', ['*.example.com'], false],
    ['evilexample.com', ['*.example.com'], false],
    ['anything.test', ['*'], true],
    ['HOOKS.example.com'.toLowerCase(), [' Hooks.Example.com '], true],
  ] as const)('%s with %o: %s', (host, patterns, allowed) => {
    expect(hostAllowed(host, patterns)).toBe(allowed);
  });
});

describe('checkCallback', () => {
  it('accepts a loopback URL with the endings as default events', () => {
    expect(checkCallback('http://127.0.0.1:8080/hooks', undefined, LOOPBACK_HOSTS)).toEqual({
      ok: true,
      callback: { url: 'http://127.0.0.1:8080/hooks', events: ['job.completed', 'job.failed'] },
    });
  });

  it('keeps the events asked for, once each', () => {
    const check = checkCallback(
      'http://localhost/h',
      ['job.stage_changed', 'job.completed', 'job.completed'],
      LOOPBACK_HOSTS,
    );
    expect(check).toMatchObject({ ok: true, callback: { events: ['job.stage_changed', 'job.completed'] } });
  });

  it.each([
    ['not a url', /absolute http or https URL/],
    ['ftp://127.0.0.1/x', /http or https URL/],
    ['http://user:pw@127.0.0.1/x', /user name or password/],
    ['http://10.1.2.3/x', /host '10\.1\.2\.3' is not allowed by this server's --webhook-allow-hosts/],
    [`http://127.0.0.1/${'x'.repeat(2100)}`, /at most 2048 characters/],
  ])('refuses %s naming callback_url', (url, problem) => {
    const check = checkCallback(url, undefined, LOOPBACK_HOSTS);
    expect(check).toMatchObject({ ok: false, field: 'callback_url' });
    expect(check.ok ? '' : check.problem).toMatch(problem);
  });

  it.each([
    [[], /at least one/],
    [['job.created'], /'job\.created' is not an event type/],
  ])('refuses callback_events %o', (events, problem) => {
    const check = checkCallback('http://127.0.0.1/h', events, LOOPBACK_HOSTS);
    expect(check).toMatchObject({ ok: false, field: 'callback_events' });
    expect(check.ok ? '' : check.problem).toMatch(problem);
  });
});
