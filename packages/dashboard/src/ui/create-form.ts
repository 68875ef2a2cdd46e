/**
 * The create form: reads its inputs, hands them to `submit`, and shows the server's validation
 * messages beside the fields they name (`aria-invalid` + `aria-describedby`, focus on the first).
 */
import type { FormValues } from '../model/create-input.js';
import { fieldErrors } from '../model/field-errors.js';
import { h } from './dom.js';

/** A rejection the form can show: the server's message, and whether it is about the fields (a 400). */
export interface SubmitProblem {
  readonly message: string;
  readonly aboutFields: boolean;
}

export type Submit = (values: FormValues) => Promise<SubmitProblem | undefined>;

function control(form: HTMLFormElement, name: string): HTMLInputElement | HTMLSelectElement {
  const element = form.elements.namedItem(name);
  if (element instanceof HTMLInputElement || element instanceof HTMLSelectElement) return element;
  throw new Error(`The create form has no field ${name}`);
}

export class CreateForm {
  readonly #form: HTMLFormElement;
  readonly #summary: HTMLElement;
  readonly #button: HTMLButtonElement;

  constructor(form: HTMLFormElement, summary: HTMLElement, submit: Submit) {
    this.#form = form;
    this.#summary = summary;
    const button = form.querySelector('button[type="submit"]');
    if (!(button instanceof HTMLButtonElement)) throw new Error('The create form has no submit button');
    this.#button = button;
    form.addEventListener('submit', (event) => {
      event.preventDefault(); // never a navigation: nothing typed here ends up in a URL
      void this.#submit(submit);
    });
  }

  #values(): FormValues {
    const value = (name: string): string => control(this.#form, name).value;
    const lipSync = control(this.#form, 'lip_sync');
    return {
      sourceLanguage: value('source_language'),
      targetLanguage: value('target_language'),
      videoDurationSeconds: value('video_duration_seconds'),
      lipSync: lipSync instanceof HTMLInputElement && lipSync.checked,
      durationMs: value('simulate.duration_ms'),
      outcome: value('simulate.outcome'),
      errorCode: value('simulate.error_code'),
    };
  }

  async #submit(submit: Submit): Promise<void> {
    this.#button.disabled = true;
    this.#clear(); // what the server said of the last try no longer holds
    try {
      const problem = await submit(this.#values());
      this.#show(problem);
    } finally {
      this.#button.disabled = false;
    }
  }

  #clear(): void {
    for (const stale of this.#form.querySelectorAll('.field-error')) stale.remove();
    for (const invalid of this.#form.querySelectorAll('[aria-invalid]')) {
      invalid.removeAttribute('aria-invalid');
      invalid.removeAttribute('aria-describedby');
    }
    this.#summary.hidden = true;
    this.#summary.textContent = '';
  }

  #show(problem: SubmitProblem | undefined): void {
    this.#clear();
    if (problem === undefined) return;
    const { fields, other } = problem.aboutFields
      ? fieldErrors(problem.message)
      : { fields: new Map<string, readonly string[]>(), other: [problem.message] };
    let first: HTMLElement | undefined;
    const unplaced = [...other];
    for (const [name, sentences] of fields) {
      const input = this.#form.elements.namedItem(name);
      if (!(input instanceof HTMLInputElement || input instanceof HTMLSelectElement)) {
        unplaced.push(...sentences);
        continue;
      }
      const id = `${input.id}-error`;
      input.after(h('p', { id, class: 'field-error' }, sentences.join('; ')));
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', id);
      first ??= input;
    }
    if (unplaced.length > 0) {
      this.#summary.textContent = unplaced.join('; ');
      this.#summary.hidden = false;
    }
    first?.focus();
  }
}
