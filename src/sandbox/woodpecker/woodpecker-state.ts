/**
 * @module sandbox/woodpecker/woodpecker-state
 * What the Woodpecker stand-in remembers: activated repositories (with their forge hook, secrets
 * and pipelines), in memory for the life of the process, as a fresh Woodpecker database would.
 */
import { randomBytes } from 'node:crypto';

export interface StandInSecret {
  id: number;
  name: string;
  value: string;
  events: string[];
}

/** server/model/step.go Step: `id` is global (the log route takes it), `pid` counts within the pipeline. */
export interface StandInStep {
  id: number;
  pid: number;
  name: string;
  type: 'clone' | 'plugin' | 'commands';
  state: 'pending' | 'running' | 'success' | 'failure' | 'skipped';
  exitCode: number;
  error: string;
  started: number;
  finished: number;
  /** The step's output, one entry per line (Woodpecker stores each as a LogEntry). */
  log: string[];
}

export interface StandInPipeline {
  id: number;
  number: number;
  status: 'pending' | 'running' | 'success' | 'failure' | 'error';
  event: 'push' | 'manual';
  /** The pipeline this one restarted (server/pipeline/restart.go sets Parent), else 0. */
  parent: number;
  /** One workflow (`.woodpecker.yaml` is one), its steps in run order, clone first. */
  workflowId: number;
  steps: StandInStep[];
  branch: string;
  commit: string;
  ref: string;
  message: string;
  author: string;
  created: number;
  started: number;
  finished: number;
  errors?: Array<{ type: string; message: string }>;
}

export interface StandInRepo {
  id: number;
  forgeRemoteId: number;
  owner: string;
  name: string;
  defaultBranch: string;
  cloneUrl: string;
  forgeUrl: string;
  private: boolean;
  active: boolean;
  /** Token in the forge hook's URL; the forge calls /api/hook?access_token=<hookToken>. */
  hookToken: string;
  hookId: number | null;
  secrets: Map<string, StandInSecret>;
  pipelines: StandInPipeline[];
}

export class WoodpeckerState {
  readonly repos = new Map<number, StandInRepo>();
  private nextRepoId = 1;
  private nextSecretId = 1;
  private nextPipelineId = 1;
  private nextStepId = 1;
  private nextWorkflowId = 1;

  byForgeId(forgeRemoteId: number): StandInRepo | undefined {
    return [...this.repos.values()].find((r) => r.forgeRemoteId === forgeRemoteId);
  }

  byFullName(fullName: string): StandInRepo | undefined {
    return [...this.repos.values()].find((r) => `${r.owner}/${r.name}`.toLowerCase() === fullName.toLowerCase());
  }

  byHookToken(token: string): StandInRepo | undefined {
    return [...this.repos.values()].find((r) => r.hookToken === token);
  }

  add(repo: Omit<StandInRepo, 'id' | 'hookToken' | 'hookId' | 'secrets' | 'pipelines' | 'active'>): StandInRepo {
    const stored: StandInRepo = {
      ...repo,
      id: this.nextRepoId++,
      active: true,
      hookToken: randomBytes(24).toString('base64url'),
      hookId: null,
      secrets: new Map(),
      pipelines: [],
    };
    this.repos.set(stored.id, stored);
    return stored;
  }

  putSecret(repo: StandInRepo, secret: Omit<StandInSecret, 'id'>): StandInSecret {
    const existing = repo.secrets.get(secret.name);
    const stored = { ...secret, id: existing?.id ?? this.nextSecretId++ };
    repo.secrets.set(secret.name, stored);
    return stored;
  }

  newPipeline(
    repo: StandInRepo,
    facts: Pick<StandInPipeline, 'branch' | 'commit' | 'ref' | 'message' | 'author'> & {
      event?: StandInPipeline['event'];
      parent?: number;
    },
  ): StandInPipeline {
    const now = Math.floor(Date.now() / 1000);
    // Numbers only grow, even after a pipeline was dropped (Woodpecker keeps a per-repo counter).
    const number = (repo.pipelines.at(-1)?.number ?? 0) + 1;
    const pipeline: StandInPipeline = {
      ...facts,
      event: facts.event ?? 'push',
      parent: facts.parent ?? 0,
      id: this.nextPipelineId++,
      number,
      status: 'running',
      workflowId: this.nextWorkflowId++,
      steps: [],
      created: now,
      started: now,
      finished: 0,
    };
    repo.pipelines.push(pipeline);
    return pipeline;
  }

  addStep(pipeline: StandInPipeline, name: string, type: StandInStep['type']): StandInStep {
    const step: StandInStep = {
      id: this.nextStepId++,
      pid: pipeline.steps.length + 2,
      name,
      type,
      state: 'pending',
      exitCode: 0,
      error: '',
      started: 0,
      finished: 0,
      log: [],
    };
    pipeline.steps.push(step);
    return step;
  }
}
