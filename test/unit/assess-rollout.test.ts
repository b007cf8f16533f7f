/**
 * The rollout verdict on hand-made workload states: which pods count as the rollout's (the newest
 * ReplicaSet's, not those whose image string matches) and when the Progressing condition may be
 * believed (only once the controller has observed the newest generation, as kubectl's
 * rollout_status.go reads it).
 */
import { describe, expect, it } from 'vitest';
import type { PodState, WorkloadStatus } from '../../src/ports/deployer.port.js';
import { assessRollout } from '../../src/services/deploy/assess-rollout.js';

const IMAGE = 'registry.example.test/team/app@sha256:' + 'a'.repeat(64);
const OLD_IMAGE = 'registry.example.test/team/app@sha256:' + 'b'.repeat(64);

const pod = (name: string, over: Partial<PodState> = {}): PodState => ({
  name,
  phase: 'Running',
  ready: true,
  restarts: 0,
  reason: null,
  message: null,
  image: IMAGE,
  current: true,
  ...over,
});

const workload = (over: Partial<WorkloadStatus> = {}): WorkloadStatus => ({
  project: 'app',
  exists: true,
  generation: 2,
  observedGeneration: 2,
  desiredReplicas: 1,
  updatedReplicas: 1,
  readyReplicas: 1,
  availableReplicas: 1,
  image: IMAGE,
  pods: [pod('app-new-1')],
  conditions: [],
  events: [],
  hosts: [],
  usage: null,
  ...over,
});

const timedOut = {
  type: 'Progressing',
  status: 'False',
  reason: 'ProgressDeadlineExceeded',
  message: 'ReplicaSet "app-old" has timed out progressing.',
};

describe('assessRollout', () => {
  it("succeeds when the newest ReplicaSet's pods are ready and no old pod is left", () => {
    expect(assessRollout(workload(), IMAGE, 1)).toEqual({ state: 'succeeded' });
  });

  it('waits while an old pod is still there', () => {
    const pods = [pod('app-new-1'), pod('app-old-1', { current: false, image: OLD_IMAGE })];
    expect(assessRollout(workload({ pods }), IMAGE, 1)).toEqual({ state: 'in_progress', ready: 1, desired: 1 });
  });

  it('fails on a crash loop of a pod of the newest ReplicaSet', () => {
    const pods = [
      pod('app-new-1', { ready: false, reason: 'CrashLoopBackOff', restarts: 3 }),
      pod('app-old-1', { current: false, image: OLD_IMAGE }),
    ];
    expect(assessRollout(workload({ pods, availableReplicas: 1 }), IMAGE, 1)).toEqual({
      state: 'failed',
      reason: 'CrashLoopBackOff',
      message: null,
      pod: 'app-new-1',
    });
  });

  it('does not blame the rollout for old pods of the same image that crash (a fix of env or secrets)', () => {
    const pods = [
      pod('app-new-1', { ready: false, reason: 'ContainerCreating' }),
      pod('app-old-1', { current: false, ready: false, reason: 'CrashLoopBackOff' }),
    ];
    expect(assessRollout(workload({ pods, availableReplicas: 0 }), IMAGE, 1)).toEqual({
      state: 'in_progress',
      ready: 0,
      desired: 1,
    });
  });

  it("judges no pod while the Deployment's template is another image than the pinned one", () => {
    const pods = [pod('app-new-1', { image: OLD_IMAGE, ready: false, reason: 'CrashLoopBackOff' })];
    expect(assessRollout(workload({ image: OLD_IMAGE, pods }), IMAGE, 1)).toEqual({
      state: 'in_progress',
      ready: 0,
      desired: 1,
    });
  });

  it('ignores a ProgressDeadlineExceeded the controller has not re-evaluated for the newest generation', () => {
    // The deploy after a timed-out one: the API already holds generation 3, status still describes 2.
    const stale = workload({
      generation: 3,
      observedGeneration: 2,
      conditions: [timedOut],
      pods: [],
      updatedReplicas: 0,
      availableReplicas: 0,
    });
    expect(assessRollout(stale, IMAGE, 1)).toEqual({ state: 'in_progress', ready: 0, desired: 1 });
  });

  it('fails on ProgressDeadlineExceeded once the controller has observed the newest generation', () => {
    const observed = workload({
      generation: 3,
      observedGeneration: 3,
      conditions: [timedOut],
      pods: [pod('app-new-1', { ready: false, reason: 'ContainerCreating' })],
    });
    expect(assessRollout(observed, IMAGE, 1)).toEqual({
      state: 'failed',
      reason: 'ProgressDeadlineExceeded',
      message: timedOut.message,
      pod: null,
    });
  });

  it('reports a Deployment that disappeared', () => {
    expect(assessRollout(workload({ exists: false }), IMAGE, 1)).toMatchObject({ state: 'failed', reason: 'NotFound' });
  });
});
