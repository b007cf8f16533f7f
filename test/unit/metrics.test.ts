import { describe, expect, it } from 'vitest';
import { createRegistry, MAX_SERIES } from '../../src/services/shared/metrics-registry.js';
import { createMetrics, instrumentBackend } from '../../src/services/shared/metrics.js';

describe('metrics registry', () => {
  it('escapes label values and renders cumulative histogram buckets', () => {
    const registry = createRegistry();
    registry.counter('c_total', 'help', ['v']).inc({ v: 'a"b\\c\nd' });
    const h = registry.histogram('h_seconds', 'help', ['k'], [1, 0.1]);
    h.observe({ k: 'x' }, 0.05);
    h.observe({ k: 'x' }, 0.5);
    h.observe({ k: 'x' }, 3);
    const text = registry.render();
    expect(text).toContain('c_total{v="a\\"b\\\\c\\nd"} 1');
    expect(text).toContain('h_seconds_bucket{k="x",le="0.1"} 1');
    expect(text).toContain('h_seconds_bucket{k="x",le="1"} 2');
    expect(text).toContain('h_seconds_bucket{k="x",le="+Inf"} 3');
    expect(text).toContain('h_seconds_sum{k="x"} 3.55');
    expect(text).toContain('h_seconds_count{k="x"} 3');
  });

  it('folds label sets beyond the cap into "other" instead of growing without bound', () => {
    const registry = createRegistry();
    const counter = registry.counter('many_total', 'help', ['id']);
    for (let i = 0; i < MAX_SERIES + 50; i++) counter.inc({ id: String(i) });
    const lines = registry
      .render()
      .split('\n')
      .filter((l) => l.startsWith('many_total'));
    expect(lines).toHaveLength(MAX_SERIES + 1);
    expect(lines).toContain('many_total{id="other"} 50');
  });

  it('refuses to register a family twice', () => {
    const registry = createRegistry();
    registry.counter('x_total', 'help', []);
    expect(() => registry.counter('x_total', 'help', [])).toThrow(/twice/);
  });
});

describe('instrumentBackend', () => {
  class Adapter {
    #secret = 'private';
    ok() {
      return Promise.resolve(this.#secret);
    }
    fail(): Promise<never> {
      return Promise.reject(new Error('boom'));
    }
    sync() {
      return 42;
    }
  }

  it('times every async call by outcome and keeps private fields and sync methods working', async () => {
    const metrics = createMetrics('test');
    const port = instrumentBackend(new Adapter(), 'git', metrics);
    await expect(port.ok()).resolves.toBe('private');
    await expect(port.fail()).rejects.toThrow('boom');
    expect(port.sync()).toBe(42);
    const text = metrics.render();
    expect(text).toContain('threesix_backend_call_duration_seconds_count{backend="git",outcome="ok"} 1');
    expect(text).toContain('threesix_backend_call_duration_seconds_count{backend="git",outcome="error"} 1');
  });
});
