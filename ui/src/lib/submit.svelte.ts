// Busy flag and last error of one form (or of a few buttons that report
// in one place). The error is kept as an ApiError so that ErrorMessage can
// translate its code; the message text is never shown.
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
