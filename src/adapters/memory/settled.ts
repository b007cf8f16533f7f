/**
 * @module adapters/memory/settled
 * The in-memory fakes answer port methods synchronously, yet callers rely on the promise a real
 * adapter returns: a refusal must arrive as a rejection (`await expect(port.x()).rejects`), never as
 * a throw at the call. `settled` gives exactly what an `async` function would: the body runs at once,
 * its value resolves the promise and its throw rejects it.
 */
export const settled = <T>(body: () => T): Promise<T> => new Promise<T>((resolve) => resolve(body()));
