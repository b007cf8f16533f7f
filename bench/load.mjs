// Bounded concurrent load: `workers` loops share a budget of `total` calls and a time cap, each
// calling `call(worker, i)` one after another. Subjects are measured in interleaved rounds and
// summed, so a busy neighbour on the shared machine slows every subject alike.
import { readFileSync } from 'node:fs';
import { percentile } from './lib.mjs';

export async function runConcurrent({ workers, total, maxMs, call }) {
  const latencies = [];
  const errors = [];
  let next = 0;
  const started = performance.now();
  const deadline = started + maxMs;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      while (next < total && performance.now() < deadline) {
        const i = next++;
        const t0 = performance.now();
        try {
          await call(worker, i);
          latencies.push(performance.now() - t0);
        } catch (error) {
          errors.push(error);
        }
      }
    }),
  );
  return { latencies, errors, seconds: (performance.now() - started) / 1000 };
}

/** Throughput and latency percentiles over one or more rounds of the same subject. */
export function summarize(rounds) {
  const latencies = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const seconds = rounds.reduce((n, r) => n + r.seconds, 0);
  const errors = rounds.flatMap((r) => r.errors);
  return {
    calls: latencies.length,
    failures: errors.length,
    firstError: errors[0],
    seconds,
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
  };
}

/**
 * Runs each subject `rounds` times, alternating subjects, and summarizes each. With `cpu` (a
 * function returning { name: cpu ms so far }), each subject also gets the CPU those processes
 * spent during its rounds, per call.
 */
export async function interleaved(subjects, rounds, options, cpu) {
  const results = Object.fromEntries(Object.keys(subjects).map((name) => [name, []]));
  const spent = Object.fromEntries(Object.keys(subjects).map((name) => [name, {}]));
  for (let r = 0; r < rounds; r++) {
    for (const [name, call] of Object.entries(subjects)) {
      const before = cpu?.() ?? {};
      results[name].push(await runConcurrent({ ...options, call }));
      for (const [who, ms] of Object.entries(cpu?.() ?? {}))
        spent[name][who] = (spent[name][who] ?? 0) + ms - before[who];
    }
  }
  return Object.fromEntries(
    Object.entries(results).map(([name, runs]) => {
      const summary = summarize(runs);
      return [
        name,
        {
          ...summary,
          cpuPerCall: Object.fromEntries(Object.entries(spent[name]).map(([who, ms]) => [who, ms / summary.calls])),
        },
      ];
    }),
  );
}

/**
 * CPU time (user + system, its finished child processes included) a process has used so far, in ms,
 * from /proc; NaN when unreadable.
 */
export function processCpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime, stime, cutime, cstime are fields 14-17 of stat (12-15 after the command name), in clock ticks of 10 ms.
    return fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) * 10;
  } catch {
    return NaN;
  }
}
