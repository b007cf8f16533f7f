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

export interface StandInPipeline {
  id: number;
  number: number;
  status: 'pending' | 'running' | 'success' | 'failure' | 'error';
  event: 'push';
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

  byForgeId(forgeRemoteId: number): StandInRepo | undefined {
    return [...this.repos.values()].find(r => r.forgeRemoteId === forgeRemoteId);
  }

  byFullName(fullName: string): StandInRepo | undefined {
    return [...this.repos.values()].find(r => `${r.owner}/${r.name}`.toLowerCase() === fullName.toLowerCase());
  }

  byHookToken(token: string): StandInRepo | undefined {
    return [...this.repos.values()].find(r => r.hookToken === token);
  }

  add(repo: Omit<StandInRepo, 'id' | 'hookToken' | 'hookId' | 'secrets' | 'pipelines' | 'active'>): StandInRepo {
    const stored: StandInRepo = { ...repo, id: this.nextRepoId++, active: true, hookToken: randomBytes(24).toString('base64url'), hookId: null, secrets: new Map(), pipelines: [] };
    this.repos.set(stored.id, stored);
    return stored;
  }

  putSecret(repo: StandInRepo, secret: Omit<StandInSecret, 'id'>): StandInSecret {
    const existing = repo.secrets.get(secret.name);
    const stored = { ...secret, id: existing?.id ?? this.nextSecretId++ };
    repo.secrets.set(secret.name, stored);
    return stored;
  }

  newPipeline(repo: StandInRepo, facts: Pick<StandInPipeline, 'branch' | 'commit' | 'ref' | 'message' | 'author'>): StandInPipeline {
    const now = Math.floor(Date.now() / 1000);
    const pipeline: StandInPipeline = { ...facts, id: this.nextPipelineId++, number: repo.pipelines.length + 1, status: 'running', event: 'push', created: now, started: now, finished: 0 };
    repo.pipelines.push(pipeline);
    return pipeline;
  }
}
