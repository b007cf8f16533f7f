/**
 * Helpers for tests against the Woodpecker stand-in.
 */
import type { GiteaStandIn } from '../../src/sandbox/gitea/index.js';
import {
  startWoodpeckerStandIn,
  type WoodpeckerStandIn,
  type WoodpeckerStandInOptions,
} from '../../src/sandbox/woodpecker/index.js';
import { createSpecCheck, type SpecCheck } from './spec-check.js';

export interface CheckedWoodpecker extends WoodpeckerStandIn {
  spec: SpecCheck;
}

/** The Woodpecker stand-in with every exchange checked by the shared strict spec check. */
export async function startCheckedWoodpecker(
  options: Omit<WoodpeckerStandInOptions, 'observer'>,
): Promise<CheckedWoodpecker> {
  const spec = createSpecCheck('woodpecker');
  const ci = await startWoodpeckerStandIn({ ...options, observer: spec.observe });
  return Object.assign(ci, { spec });
}

export async function createForgeRepo(gitea: GiteaStandIn, name: string): Promise<{ id: number; fullName: string }> {
  const response = await fetch(`${gitea.url}/api/v1/orgs/${gitea.org}/repos`, {
    method: 'POST',
    headers: { authorization: `token ${gitea.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, auto_init: true, default_branch: 'main' }),
  });
  const repo = (await response.json()) as { id: number; full_name: string };
  return { id: repo.id, fullName: repo.full_name };
}
