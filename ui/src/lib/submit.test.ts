import { describe, it, expect } from 'vitest';
import { Loader } from '$lib/submit.svelte';
import { err } from '../test/fixtures';

describe('Loader', () => {
  it('keeps the last value when a reload fails, with the error as an ApiError', async () => {
    let fail = false;
    const loader = new Loader(async () => {
      if (fail) throw err('vault.locked');
      return ['a'];
    }, [] as string[]);
    await loader.load();
    expect(loader.value).toEqual(['a']);
    expect(loader.loaded).toBe(true);
    fail = true;
    await loader.load();
    expect(loader.value).toEqual(['a']);
    expect(loader.error?.code).toBe('vault.locked');
    expect(loader.loading).toBe(false);
  });

  it('drops an answer that a newer load has overtaken', async () => {
    const answers: Array<(v: number) => void> = [];
    const loader = new Loader(() => new Promise<number>((resolve) => answers.push(resolve)), 0);
    const first = loader.load();
    const second = loader.load();
    answers[1](2);
    await second;
    answers[0](1);
    await first;
    expect(loader.value).toBe(2);
  });
});
