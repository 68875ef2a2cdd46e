/**
 * The dashboard as a person uses it, for the browser tests: open it, fill the form, read a job's row.
 * Everything goes through the page (clicks, keys, visible text), never through the page's code.
 */
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { watchTrouble, type PageTrouble } from './chromium.js';

export interface OpenDashboard {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly trouble: PageTrouble;
  /** Every request the page made, as `METHOD /path?query`, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

export async function openDashboard(
  browser: Browser,
  url: string,
  options: BrowserContextOptions = {},
): Promise<OpenDashboard> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const trouble = watchTrouble(page);
  const requests: string[] = [];
  page.on('request', (request) => {
    const target = new URL(request.url());
    requests.push(`${request.method()} ${target.pathname}${target.search}`);
  });
  await page.goto(url);
  return { context, page, trouble, requests, close: () => context.close() };
}

/** The form's fields, by the names the server gives them. */
export interface FormInput {
  readonly source_language?: string;
  readonly target_language?: string;
  readonly video_duration_seconds?: string;
  readonly lip_sync?: boolean;
  readonly 'simulate.duration_ms'?: string;
  readonly 'simulate.outcome'?: string;
  readonly 'simulate.error_code'?: string;
}

/** Fills the create form as given (other fields keep their values) and submits it by clicking. */
export async function fillForm(page: Page, input: FormInput): Promise<void> {
  const form = page.locator('#create');
  for (const [name, value] of Object.entries(input) as [string, string | boolean][]) {
    const field = form.locator(`[name="${name}"]`);
    if (typeof value === 'boolean') await field.setChecked(value);
    else if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
  }
}

/**
 * Creates a job through the form and resolves with its id: the one new row of the table. Rejects with
 * the form's message if the server refused the job.
 */
export async function createThroughForm(page: Page, input: FormInput): Promise<string> {
  await fillForm(page, input);
  const known = await page
    .locator('#jobs tr[data-job]')
    .evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset['job'] ?? ''));
  await page.locator('#create button[type="submit"]').click();
  const outcome = await page.waitForFunction((before) => {
    for (const row of document.querySelectorAll<HTMLElement>('#jobs tr[data-job]')) {
      const id = row.dataset['job'] ?? '';
      if (!before.includes(id)) return { id };
    }
    const refused = [...document.querySelectorAll<HTMLElement>('#create .field-error, #create-error')]
      .filter((element) => !element.hidden)
      .map((element) => element.textContent);
    return refused.length > 0 ? { refused: refused.join('; ') } : undefined;
  }, known);
  const result = (await outcome.jsonValue()) as { id: string } | { refused: string };
  if ('refused' in result) throw new Error(`The server refused the job: ${result.refused}`);
  return result.id;
}

export function rowOf(page: Page, jobId: string): Locator {
  return page.locator(`#jobs tr[data-job="${jobId}"]`);
}

/** Waits until the job's result badge reads `text` (e.g. `completed`, `failed: render_failed`). */
export async function waitForBadge(page: Page, jobId: string, text: string, timeout = 20_000): Promise<void> {
  await rowOf(page, jobId).locator('.badge', { hasText: text }).waitFor({ timeout });
}

/**
 * Starts recording every stage text the job's row shows (from inside the page, so none is missed
 * between two looks); `stages()` returns them in order, repeats collapsed.
 */
export async function recordStages(page: Page): Promise<() => Promise<Record<string, string[]>>> {
  await page.evaluate(() => {
    const seen: Record<string, string[]> = {};
    (window as unknown as { stagesSeen: typeof seen }).stagesSeen = seen;
    const record = (): void => {
      for (const row of document.querySelectorAll<HTMLTableRowElement>('#jobs tr[data-job]')) {
        const id = row.dataset['job'] ?? '';
        const stage = (row.querySelector('.stage')?.textContent ?? '').split(' · ')[0] ?? '';
        const list = (seen[id] ??= []);
        if (stage !== '' && list.at(-1) !== stage) list.push(stage);
      }
    };
    new MutationObserver(record).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  });
  return () =>
    page.evaluate(() => (window as unknown as { stagesSeen: Record<string, string[]> }).stagesSeen);
}

/**
 * Starts recording what the page announces to screen readers (`#announcer`, aria-live); the returned
 * function reads every announcement so far, in order. Other jobs on the same server may be announced
 * after the one a test follows, so tests look for theirs among them, not at the last one.
 */
export async function recordAnnouncements(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const said: string[] = [];
    (window as unknown as { announced: string[] }).announced = said;
    const announcer = document.getElementById('announcer');
    if (announcer === null) throw new Error('the page has no #announcer');
    new MutationObserver(() => {
      const text = announcer.textContent;
      if (text !== '' && said.at(-1) !== text) said.push(text);
    }).observe(announcer, { subtree: true, childList: true, characterData: true });
  });
  return () => page.evaluate(() => (window as unknown as { announced: string[] }).announced);
}
