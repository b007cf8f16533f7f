/**
 * @module main/smoke-report
 * One line per smoke step on stdout, with how long it took: `ok`, `FAIL` or `skip`, the step and
 * what it found. Every line passes through the secret scrubber first.
 */

export type StepStatus = 'ok' | 'FAIL' | 'skip';

export interface SmokeReport {
  /** Runs one step, prints its line, and rethrows its failure (the run stops at the first). */
  step<T>(name: string, body: () => Promise<{ value: T; detail: string; status?: StepStatus }>): Promise<T>;
  line(text: string): void;
}

/** A step's failure, already printed: the run stops without printing it twice. */
export class StepFailed extends Error {
  constructor(
    readonly step: string,
    message: string,
  ) {
    super(message);
    this.name = 'StepFailed';
  }
}

export function createSmokeReport(write: (text: string) => void, secrets: readonly string[]): SmokeReport {
  const scrub = (text: string) =>
    secrets.reduce((s, secret) => s.split(secret).join('[redacted]'), text.replace(/\s+/g, ' ').trim());
  const print = (status: StepStatus, startedAt: number, name: string, detail: string) => {
    const seconds = ((performance.now() - startedAt) / 1000).toFixed(2).padStart(7);
    write(`${status.padEnd(4)} ${seconds} s  ${name}: ${scrub(detail)}\n`);
  };
  return {
    async step(name, body) {
      const startedAt = performance.now();
      try {
        const { value, detail, status } = await body();
        print(status ?? 'ok', startedAt, name, detail);
        return value;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        print('FAIL', startedAt, name, message);
        throw new StepFailed(name, scrub(message));
      }
    },
    line: (text) => write(`${scrub(text)}\n`),
  };
}
