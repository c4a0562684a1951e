// Fills every control of a form as a person would: the payload a form
// really sends is recorded (test/payloads/), and the shell's tests send
// that very payload through the real commands (src-tauri/tests/forms.rs).
// A field the form forgets to send, or sends in a shape the command
// refuses, fails one side or the other.
import type { UserEvent } from '@testing-library/user-event';

/** What is typed into a control, by its test id or id, instead of the default. */
export type Overrides = Record<string, string>;

/** The default text of a text control: its name, so the value can be found
 *  again in the payload and in what the case shows after saving. */
export const textFor = (key: string) => `${key} text`;

const controls = (form: HTMLElement) =>
  Array.from(form.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input, select, textarea'));

const keyOf = (el: Element) => (el as HTMLElement).dataset.testid || el.id || (el as HTMLInputElement).name;

const isDate = (el: Element) => el instanceof HTMLInputElement && el.inputMode === 'numeric' && !!el.getAttribute('aria-describedby');

async function fillOne(user: UserEvent, el: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, typed: Overrides): Promise<string | null> {
  const key = keyOf(el);
  const override = typed[key];
  if (el instanceof HTMLSelectElement) {
    const values = Array.from(el.options).filter((o) => o.value !== '' && !o.disabled).map((o) => o.value);
    const choice = override ?? values[values.length - 1];
    if (choice === undefined) return null;
    await user.selectOptions(el, choice);
    return choice;
  }
  if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) {
    if (!el.checked) await user.click(el);
    return null;
  }
  if (el instanceof HTMLInputElement && (el.type === 'file' || el.type === 'hidden')) return null;
  const value =
    override ??
    (el instanceof HTMLInputElement && el.type === 'number'
      ? '17'
      : el instanceof HTMLInputElement && el.type === 'time'
        ? '10:30'
        : isDate(el)
          ? '15.03.2009'
          : textFor(key));
  await user.clear(el);
  if (value !== '') await user.type(el, value);
  return value;
}

/**
 * Fills every enabled control inside `form`: text with its own name (or the
 * override), numbers with 17, dates with 15.03.2009, times with 10:30,
 * selects with their last choice on offer, and ticks every box. Controls that appear
 * once others are filled are filled too. Returns the texts typed, which the
 * payload must carry.
 */
export async function fillEveryField(user: UserEvent, form: HTMLElement, typed: Overrides = {}): Promise<string[]> {
  const done = new Set<Element>();
  const texts: string[] = [];
  for (let pass = 0; pass < 3; pass++) {
    const fresh = controls(form).filter((el) => !done.has(el) && !el.disabled);
    if (fresh.length === 0) break;
    for (const el of fresh) {
      done.add(el);
      // Gone once an earlier choice changed the form (another kind of person).
      if (!el.isConnected) continue;
      const value = await fillOne(user, el, typed);
      if (value !== null && !(el instanceof HTMLSelectElement) && !isDate(el) && el.type !== 'number') texts.push(value);
    }
  }
  return texts;
}
