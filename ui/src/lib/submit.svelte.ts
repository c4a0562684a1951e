// How components run commands and load what they show. FormState: busy
// flag and last error of one form (or of a few buttons that report in one
// place). Loader: what a screen loads when it opens and again on reload.
// Errors are kept as ApiError so that ErrorMessage can translate their
// code; the message text is never shown.
import { onMount } from 'svelte';
import { toApiError, type ApiError } from '$lib/api';

export class FormState {
  busy = $state(false);
  error = $state<ApiError | null>(null);

  /** Runs `action`; on failure keeps its error and returns false. A new
   *  attempt clears the previous error first, so a stale one is never shown
   *  next to a result. */
  async submit(action: () => Promise<unknown>): Promise<boolean> {
    this.error = null;
    this.busy = true;
    try {
      await action();
      return true;
    } catch (e) {
      this.error = toApiError(e);
      return false;
    } finally {
      this.busy = false;
    }
  }
}

/** An optional text field: trimmed, and null when left blank. */
export function optional(text: string): string | null {
  return text.trim() || null;
}

/** What a screen shows from the backend: the last value loaded, whether a
 *  load is under way, and the error of the last attempt. A failed load keeps
 *  the value it had, so a screen does not go blank when a reload fails; an
 *  answer that a newer load has overtaken is dropped. */
export class Loader<T> {
  value = $state() as T;
  loading = $state(false);
  /** True once a load has succeeded. */
  loaded = $state(false);
  error = $state<ApiError | null>(null);
  #fetch: () => Promise<T>;
  #seq = 0;

  constructor(fetch: () => Promise<T>, initial: T) {
    this.#fetch = fetch;
    this.value = initial;
  }

  /** Loads again; never throws (a failure is kept in `error`). */
  load = async (): Promise<void> => {
    const mine = ++this.#seq;
    this.loading = true;
    try {
      const value = await this.#fetch();
      if (mine !== this.#seq) return;
      this.value = value;
      this.loaded = true;
      this.error = null;
    } catch (e) {
      if (mine === this.#seq) this.error = toApiError(e);
    } finally {
      if (mine === this.#seq) this.loading = false;
    }
  };
}

/** A Loader that loads when the component that makes it is mounted. */
export function load<T>(fetch: () => Promise<T>): Loader<T | null>;
export function load<T>(fetch: () => Promise<T>, initial: T): Loader<T>;
export function load<T>(fetch: () => Promise<T>, initial: T | null = null): Loader<T | null> {
  const loader = new Loader<T | null>(fetch, initial);
  onMount(() => void loader.load());
  return loader;
}
