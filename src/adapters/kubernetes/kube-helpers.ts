/**
 * @module adapters/kubernetes/kube-helpers
 * Sums pod metrics from the metrics API into usage figures: one for a project's status, and one
 * per project for the usage sampler.
 */
import type { PodMetricsList, V1Pod } from '@kubernetes/client-node';
import type { ProjectUsage } from '../../ports/deployer.port.js';
import { PROJECT_LABEL } from './manifests.js';

const cpuMillis = (q: string) =>
  q.endsWith('n')
    ? Number(q.slice(0, -1)) / 1e6
    : q.endsWith('u')
      ? Number(q.slice(0, -1)) / 1e3
      : q.endsWith('m')
        ? Number(q.slice(0, -1))
        : Number(q) * 1000;
const UNITS: Record<string, number> = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, K: 1e3, M: 1e6, G: 1e9 };
const bytes = (q: string) => {
  const m = /^([0-9.]+)([A-Za-z]*)$/.exec(q);
  return m ? Number(m[1]) * (UNITS[m[2]!] ?? 1) : 0;
};

export function summedUsage(list: PodMetricsList, pods: V1Pod[]): { cpu: string; memory: string } | null {
  const names = new Set(pods.map((p) => p.metadata?.name));
  const mine = list.items.filter((item) => names.has(item.metadata.name));
  if (mine.length === 0) return null;
  let cpu = 0;
  let memory = 0;
  for (const item of mine)
    for (const c of item.containers) {
      cpu += cpuMillis(c.usage.cpu);
      memory += bytes(c.usage.memory);
    }
  return { cpu: `${Math.round(cpu)}m`, memory: `${Math.round(memory / 1024 ** 2)}Mi` };
}

/**
 * Usage per project: pods grouped by our project label (PodMetrics carry no labels, so metrics are
 * matched to pods by name); a pod without metrics (not Running yet) counts for restarts only.
 */
export function usageByProject(pods: V1Pod[], list: PodMetricsList): ProjectUsage[] {
  const metricsOf = new Map(list.items.map((item) => [item.metadata.name, item]));
  const byProject = new Map<string, ProjectUsage>();
  for (const pod of pods) {
    const project = pod.metadata?.labels?.[PROJECT_LABEL];
    if (!project) continue;
    const usage = byProject.get(project) ?? { project, cpuMillicores: 0, memoryBytes: 0, restarts: 0, pods: 0 };
    usage.pods += 1;
    usage.restarts += (pod.status?.containerStatuses ?? []).reduce((sum, c) => sum + (c.restartCount ?? 0), 0);
    for (const c of metricsOf.get(pod.metadata?.name ?? '')?.containers ?? []) {
      usage.cpuMillicores += cpuMillis(c.usage.cpu);
      usage.memoryBytes += bytes(c.usage.memory);
    }
    byProject.set(project, usage);
  }
  return [...byProject.values()]
    .map((u) => ({
      ...u,
      cpuMillicores: Math.round(u.cpuMillicores * 1000) / 1000,
      memoryBytes: Math.round(u.memoryBytes),
    }))
    .sort((a, b) => a.project.localeCompare(b.project));
}
