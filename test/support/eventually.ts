/**
 * Polls an assertion until it passes or the deadline passes (then rethrows the last failure).
 * For rollouts and controllers that settle over time; the check may be synchronous (a store it reads in-process).
 */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
