/**
 * Asks for the server's API key in a modal dialog. The key is kept in this tab's session storage and
 * sent only in the Authorization header: never in a URL, a log line or the page's text.
 */
import { byId } from './dom.js';

const STORAGE_KEY = 'translation-status.api-key';

export function storedKey(): string | undefined {
  const key = sessionStorage.getItem(STORAGE_KEY);
  return key === null || key === '' ? undefined : key;
}

export function forgetKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

/** Resolves with the key the person typed (and stores it); `refused` says a previous one was wrong. */
export function askForKey(refused: boolean): Promise<string> {
  const dialog = byId('key-dialog', HTMLDialogElement);
  const form = byId('key-form', HTMLFormElement);
  const input = byId('key-input', HTMLInputElement);
  byId('key-reason', HTMLElement).textContent = refused
    ? 'The server refused that key. Enter a valid one.'
    : 'This server wants an API key.';
  input.value = '';
  return new Promise((resolve) => {
    const onSubmit = (event: SubmitEvent): void => {
      const key = input.value.trim();
      if (key === '') {
        event.preventDefault(); // the dialog stays open
        return;
      }
      form.removeEventListener('submit', onSubmit);
      dialog.removeEventListener('cancel', keepOpen);
      sessionStorage.setItem(STORAGE_KEY, key);
      input.value = '';
      resolve(key);
    };
    // Without a key the page can show nothing, so Escape does not dismiss the question.
    const keepOpen = (event: Event): void => {
      event.preventDefault();
    };
    form.addEventListener('submit', onSubmit);
    dialog.addEventListener('cancel', keepOpen);
    dialog.showModal();
    input.focus();
  });
}
