import type { ErrorCode } from '$lib/bindings/ErrorCode';
// A mocked backend for component tests: each command answered from a table,
// every call recorded, and the component rendered with a user to drive it.
import type { Component } from 'svelte';
import { render } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { mockIPC } from '@tauri-apps/api/mocks';
import { err } from './fixtures';

// The arguments a component sent; tests read the fields they expect.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Args = Record<string, any>;

/** A command's answer: a value, or a function of the arguments (which may
 *  throw, to refuse the command). */
export type Answer = ((args: Args) => unknown) | object | string | number | boolean | null;

/** Answers the commands named in `answers` and null to any other. */
export function mockBackend(answers: Record<string, Answer> = {}, options?: { shouldMockEvents?: boolean }) {
  const calls: Array<[string, Args]> = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, (args ?? {}) as Args]);
    const answer = answers[cmd];
    return typeof answer === 'function' ? (answer as (a: Args) => unknown)((args ?? {}) as Args) : (answer ?? null);
  }, options);
  return {
    calls,
    /** The commands called so far, in order. */
    commands: () => calls.map(([c]) => c),
    /** The arguments of the first call of `cmd`, if it was called. */
    argsOf: (cmd: string): Args | undefined => calls.find(([c]) => c === cmd)?.[1],
  };
}

/** An answer that refuses the command with `code`, as the backend does. */
export function refuse(code: ErrorCode, kind = 'rejected'): (args: Args) => never {
  return () => {
    throw err(code, kind);
  };
}

/** Renders `component` with `props`, and a user to click and type in it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function renderWithUser<P extends Record<string, any>>(component: Component<P>, props: P) {
  const user = userEvent.setup();
  return { user, ...render(component, props) };
}
