/**
 * The one per-project lock: queues per project, bounds a deploy's wait, lets an operation wait as
 * long as it takes, and re-enters for code running inside its holder only while the holder runs.
 */
import { describe, expect, it } from 'vitest';
import { createProjectLocks, UNBOUNDED_WAIT } from '../../src/services/shared/project-locks.js';

/** A promise and the function that resolves it (Promise.withResolvers is Node 22+). */
function gate<T = void>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

describe('createProjectLocks', () => {
  it('queues per project, bounds the wait with a retryable CONFLICT, and forgets drained projects', async () => {
    const locks = createProjectLocks();
    const firstDone = gate<string>();
    const first = locks.run('shop', 'deploy', 0, () => firstDone.promise);
    expect(await locks.held('shop')).toBe(true);
    await expect(locks.run('shop', 'scale', 30, () => Promise.resolve('never'))).rejects.toMatchObject({
      code: 'CONFLICT',
      retryable: true,
    });
    expect(await locks.run('blog', 'deploy', 0, () => Promise.resolve('other project'))).toBe('other project');
    const queued = locks.run('shop', 'restart', 5000, (waited) => Promise.resolve(waited));
    firstDone.open('first');
    expect(await first).toBe('first');
    expect(await queued).toBeGreaterThanOrEqual(0);
    expect(await locks.held('shop')).toBe(false);
    expect(await locks.held('blog')).toBe(false);
  });

  it('releases the lock when the operation throws', async () => {
    const locks = createProjectLocks();
    await expect(locks.run('shop', 'deploy', 0, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await locks.run('shop', 'deploy', 0, () => Promise.resolve('next'))).toBe('next');
  });

  it('lets an operation wait as long as the holder takes (UNBOUNDED_WAIT), in order', async () => {
    const locks = createProjectLocks();
    const order: string[] = [];
    const firstDone = gate();
    const first = locks.run(
      'shop',
      'create_project',
      UNBOUNDED_WAIT,
      async () => (await firstDone.promise, order.push('first')),
    );
    const second = locks.run('shop', 'create_project', UNBOUNDED_WAIT, () => Promise.resolve(order.push('second')));
    // Well past any timer an Infinity mistaken for a delay would fire (setTimeout(…, Infinity) fires at once).
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([]);
    firstDone.open();
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);
  });

  it('is re-entrant for its holder: a nested run on the same project goes ahead at once, another caller still waits', async () => {
    const locks = createProjectLocks();
    const outerMayFinish = gate();
    let nestedRan = false;
    const outer = locks.run('shop', 'delete_project', UNBOUNDED_WAIT, async () => {
      const nested = await locks.run('shop', 'removing the workload', 0, (waited) =>
        Promise.resolve(((nestedRan = true), waited)),
      );
      await outerMayFinish.promise;
      return nested;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(nestedRan).toBe(true);
    // Someone else (not inside the holder) is still refused while the outer run holds the lock.
    await expect(locks.run('shop', 'deploy', 0, () => Promise.resolve('never'))).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    outerMayFinish.open();
    expect(await outer).toBe(0);
  });

  it('does not let work the holder left behind re-enter after the holder finished', async () => {
    const locks = createProjectLocks();
    const later = gate();
    let straggler!: Promise<string>;
    await locks.run('shop', 'create_project', UNBOUNDED_WAIT, () => {
      // Started inside the holder (same async context) but running on after it released.
      straggler = later.promise.then(() => locks.run('shop', 'deploy', 0, () => Promise.resolve('straggler')));
      return Promise.resolve();
    });
    const nextHolderDone = gate();
    const nextHolder = locks.run('shop', 'scale', 0, () => nextHolderDone.promise);
    later.open();
    await expect(straggler).rejects.toMatchObject({ code: 'CONFLICT' });
    nextHolderDone.open();
    await nextHolder;
  });

  it('asks a holder to step aside when delete_project waits, and only then', async () => {
    const locks = createProjectLocks();
    const signals: AbortSignal[] = [];
    const holderDone = gate();
    const holding = gate();
    const holder = locks.run('shop', 'deploy', 0, (_waited, preempted) => {
      signals.push(preempted);
      holding.open();
      return holderDone.promise;
    });
    await holding.promise;
    // Another deploy or a scale waiting is not a reason to stop following a rollout.
    const scale = locks.run('shop', 'scale', 5000, () => Promise.resolve('scaled'));
    expect(signals[0]!.aborted).toBe(false);
    const deletion = locks.run('shop', 'delete_project', UNBOUNDED_WAIT, (_waited, preempted) =>
      Promise.resolve(preempted.aborted),
    );
    expect(signals[0]!.aborted).toBe(true);
    holderDone.open();
    await holder;
    expect(await scale).toBe('scaled');
    // The delete itself is never asked to step aside, and once it has run nobody is.
    expect(await deletion).toBe(false);
    expect(await locks.run('shop', 'deploy', 0, (_waited, preempted) => Promise.resolve(preempted.aborted))).toBe(
      false,
    );
  });

  it('a holder that takes the lock while a delete_project waits behind it gets an aborted signal at once', async () => {
    const locks = createProjectLocks();
    const firstDone = gate();
    const first = locks.run('shop', 'create_project', UNBOUNDED_WAIT, () => firstDone.promise);
    const deploy = locks.run('shop', 'deploy', 5000, (_waited, preempted) => Promise.resolve(preempted.aborted));
    const deletion = locks.run('shop', 'delete_project', UNBOUNDED_WAIT, () => Promise.resolve('deleted'));
    firstDone.open();
    await first;
    expect(await deploy).toBe(true);
    expect(await deletion).toBe('deleted');
  });
});
