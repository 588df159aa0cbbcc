import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit';

/** A send whose calls the test completes by hand. */
function manualSend() {
  const calls: { items: readonly number[]; done: (results: number[]) => void; fail: (error: Error) => void }[] = [];
  const send = (items: readonly number[]) => new Promise<number[]>((done, fail) => calls.push({ items, done, fail }));
  return { calls, send };
}

describe('GroupCommit', () => {
  it('sends the first item at once and the ones that arrive meanwhile together, each caller getting its own result', async () => {
    const { calls, send } = manualSend();
    const group = new GroupCommit(send);
    const first = group.submit(1);
    const later = [group.submit(2), group.submit(3), group.submit(4)];
    expect(calls.map((c) => c.items)).toEqual([[1]]);
    calls[0]?.done([10]);
    expect(await first).toBe(10);
    await Promise.resolve();
    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3, 4]]);
    calls[1]?.done([20, 30, 40]);
    expect(await Promise.all(later)).toEqual([20, 30, 40]);
  });

  it('fails the callers of a failed call only, and goes on with the next ones', async () => {
    const { calls, send } = manualSend();
    const group = new GroupCommit(send);
    const first = group.submit(1);
    const failing = [group.submit(2), group.submit(3)];
    calls[0]?.done([10]);
    await first;
    await Promise.resolve();
    const after = group.submit(5);
    calls[1]?.fail(new Error('broker gone'));
    for (const outcome of await Promise.allSettled(failing)) expect(outcome).toMatchObject({ status: 'rejected', reason: { message: 'broker gone' } });
    await Promise.resolve();
    expect(calls.at(-1)?.items).toEqual([5]);
    calls.at(-1)?.done([50]);
    expect(await after).toBe(50);
  });
});
