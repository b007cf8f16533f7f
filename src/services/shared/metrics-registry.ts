/**
 * @module services/shared/metrics-registry
 * A tiny Prometheus registry: counters and histograms with labels, rendered in the text exposition
 * format 0.0.4. Hand-written because we need four metric families, not a client library.
 */

export type Labels = Record<string, string>;

/** Distinct label sets kept per family; later ones fold into `other` so a bad caller cannot grow memory. */
export const MAX_SERIES = 500;

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'histogram' | 'gauge';
  render(): string[];
}

export interface Counter {
  inc(labels?: Labels, by?: number): void;
}

export interface Histogram {
  observe(labels: Labels, value: number): void;
}

export interface Registry {
  counter(name: string, help: string, labelNames: readonly string[]): Counter;
  histogram(name: string, help: string, labelNames: readonly string[], buckets: readonly number[]): Histogram;
  /** A gauge whose value is read at scrape time. */
  gauge(name: string, help: string, read: () => Array<{ labels: Labels; value: number }>): void;
  render(): string;
}

export function createRegistry(): Registry {
  const families: Family[] = [];
  const add = (family: Family) => {
    if (families.some((f) => f.name === family.name)) throw new Error(`metric ${family.name} registered twice`);
    families.push(family);
  };
  return {
    counter(name, help, labelNames) {
      const series = new SeriesMap<{ value: number }>(labelNames);
      add({
        name,
        help,
        type: 'counter',
        render: () => series.entries().map(({ key, value }) => `${name}${key} ${formatNumber(value.value)}`),
      });
      return { inc: (labels = {}, by = 1) => void (series.get(labels, () => ({ value: 0 })).value += by) };
    },
    histogram(name, help, labelNames, buckets) {
      const bounds = [...buckets].sort((a, b) => a - b);
      const series = new SeriesMap<{ counts: number[]; sum: number; count: number }>(labelNames);
      add({
        name,
        help,
        type: 'histogram',
        render: () =>
          series.entries().flatMap(({ labels, value: s }) => {
            const lines = bounds.map(
              (le, b) => `${name}_bucket${formatLabels({ ...labels, le: formatNumber(le) })} ${s.counts[b]}`,
            );
            lines.push(`${name}_bucket${formatLabels({ ...labels, le: '+Inf' })} ${s.count}`);
            lines.push(
              `${name}_sum${formatLabels(labels)} ${formatNumber(s.sum)}`,
              `${name}_count${formatLabels(labels)} ${s.count}`,
            );
            return lines;
          }),
      });
      return {
        observe(labels, value) {
          const s = series.get(labels, () => ({ counts: bounds.map(() => 0), sum: 0, count: 0 }));
          // Cumulative buckets: an observation counts in every bucket whose bound it fits under.
          bounds.forEach((le, b) => void (value <= le && s.counts[b]!++));
          s.sum += value;
          s.count++;
        },
      };
    },
    gauge(name, help, read) {
      add({
        name,
        help,
        type: 'gauge',
        render: () => read().map(({ labels, value }) => `${name}${formatLabels(labels)} ${formatNumber(value)}`),
      });
    },
    render() {
      const out: string[] = [];
      for (const family of families) {
        out.push(
          `# HELP ${family.name} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`,
          `# TYPE ${family.name} ${family.type}`,
        );
        out.push(...family.render());
      }
      return `${out.join('\n')}\n`;
    },
  };
}

class SeriesMap<T> {
  // Keyed by the raw label values: every observation looks its series up (several per webhook
  // delivery), so the Prometheus label text is made once, when a series is created.
  private readonly map = new Map<string, { key: string; labels: Labels; value: T }>();
  constructor(private readonly labelNames: readonly string[]) {}

  get(labels: Labels, init: () => T): T {
    let values = this.labelNames.map((n) => labels[n] ?? '');
    let id = values.join('\u0000');
    if (!this.map.has(id) && this.map.size >= MAX_SERIES) {
      values = this.labelNames.map(() => 'other');
      id = values.join('\u0000');
    }
    let entry = this.map.get(id);
    if (!entry) {
      const normal = Object.fromEntries(this.labelNames.map((n, i) => [n, values[i]!]));
      this.map.set(id, (entry = { key: formatLabels(normal), labels: normal, value: init() }));
    }
    return entry.value;
  }

  entries(): Array<{ key: string; labels: Labels; value: T }> {
    return [...this.map.values()].map(({ key, labels, value }) => ({ key, labels, value }));
  }
}

export function formatLabels(labels: Labels): string {
  const parts = Object.entries(labels).map(
    ([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
  );
  return parts.length ? `{${parts.join(',')}}` : '';
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return String(value);
}
