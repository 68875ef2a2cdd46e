/**
 * The dashboard's entry point: asks for an API key when the server wants one, then loads the newest
 * jobs, follows them through the client library and keeps the server panel fresh.
 */
import { TranslationClient } from '@translation-status/client';
import { Dashboard } from './dashboard.js';
import { KeyRequiredError, serverApi } from './io/server-api.js';
import { CreateForm } from './ui/create-form.js';
import { byId } from './ui/dom.js';
import { JobsTable } from './ui/jobs-table.js';
import { askForKey, forgetKey, storedKey } from './ui/key-dialog.js';
import { ServerPanel } from './ui/server-panel.js';

/** Jobs shown at start: the newest this many. */
const LIST_LIMIT = 50;
/** How often the server panel reads /metrics while the page is visible. */
const METRICS_EVERY_MS = 5000;
/** How often ETAs and the request tally are redrawn (no request: local time only). */
const REDRAW_EVERY_MS = 1000;
/** How long to wait before trying again when the server could not be reached at start. */
const START_RETRY_MS = 2000;

const counts = { clientRequests: 0, pageRequests: 0 };

function clientFor(apiKey: string | undefined): TranslationClient {
  return new TranslationClient({
    baseUrl: location.origin,
    ...(apiKey === undefined ? {} : { apiKey }),
    // Counted, so the page can show what the library spent.
    fetch: (input, init) => {
      counts.clientRequests++;
      return fetch(input, init);
    },
  });
}

/** Starts the page with a key (or none), asking again for as long as the server refuses it. */
async function start(apiKey: string | undefined): Promise<Dashboard> {
  const connection = byId('connection', HTMLElement);
  const dashboard: Dashboard = new Dashboard({
    client: clientFor(apiKey),
    api: serverApi(location.origin, apiKey, counts),
    table: new JobsTable(
      byId('jobs', HTMLTableElement),
      byId('jobs-empty', HTMLElement),
      byId('jobs-count', HTMLElement),
      (jobId) => void dashboard.cancel(jobId),
    ),
    panel: new ServerPanel(),
    connection,
    announcer: byId('announcer', HTMLElement),
    clientRequests: () => counts.clientRequests,
    pageRequests: () => counts.pageRequests,
  });
  try {
    await dashboard.load(LIST_LIMIT);
    return dashboard;
  } catch (error) {
    dashboard.close();
    if (!(error instanceof KeyRequiredError)) {
      connection.dataset['state'] = 'trouble';
      connection.textContent = `${error instanceof Error ? error.message : String(error)}; retrying`;
      await new Promise((resolve) => setTimeout(resolve, START_RETRY_MS));
      return start(apiKey);
    }
    forgetKey();
    connection.textContent = 'Waiting for an API key';
    return start(await askForKey(error.keyWasSent));
  }
}

async function main(): Promise<void> {
  const dashboard = await start(storedKey());
  new CreateForm(byId('create', HTMLFormElement), byId('create-error', HTMLElement), dashboard.submit);
  await dashboard.refreshMetrics();
  let metrics = setInterval(() => void dashboard.refreshMetrics(), METRICS_EVERY_MS);
  // A hidden tab reads no metrics; it reads them again at once when shown.
  document.addEventListener('visibilitychange', () => {
    clearInterval(metrics);
    if (document.hidden) return;
    void dashboard.refreshMetrics();
    metrics = setInterval(() => void dashboard.refreshMetrics(), METRICS_EVERY_MS);
  });
  setInterval(() => {
    dashboard.render();
  }, REDRAW_EVERY_MS);
}

main().catch((error: unknown) => {
  const line = byId('connection', HTMLElement);
  line.dataset['state'] = 'trouble';
  line.textContent = `The dashboard could not start: ${error instanceof Error ? error.message : String(error)}`;
});
