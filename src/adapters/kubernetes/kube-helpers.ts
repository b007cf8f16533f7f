/**
 * @module adapters/kubernetes/kube-helpers
 * Sums pod metrics from the metrics API into one usage figure.
 */
import type { PodMetricsList, V1Pod } from '@kubernetes/client-node';


const cpuMillis = (q: string) => (q.endsWith('n') ? Number(q.slice(0, -1)) / 1e6 : q.endsWith('u') ? Number(q.slice(0, -1)) / 1e3 : q.endsWith('m') ? Number(q.slice(0, -1)) : Number(q) * 1000);
const UNITS: Record<string, number> = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, K: 1e3, M: 1e6, G: 1e9 };
const bytes = (q: string) => {
  const m = /^([0-9.]+)([A-Za-z]*)$/.exec(q);
  return m ? Number(m[1]) * (UNITS[m[2]!] ?? 1) : 0;
};

export function summedUsage(list: PodMetricsList, pods: V1Pod[]): { cpu: string; memory: string } | null {
  const names = new Set(pods.map(p => p.metadata?.name));
  const mine = list.items.filter(item => names.has(item.metadata.name));
  if (mine.length === 0) return null;
  let cpu = 0;
  let memory = 0;
  for (const item of mine) for (const c of item.containers) {
    cpu += cpuMillis(c.usage.cpu);
    memory += bytes(c.usage.memory);
  }
  return { cpu: `${Math.round(cpu)}m`, memory: `${Math.round(memory / 1024 ** 2)}Mi` };
}
