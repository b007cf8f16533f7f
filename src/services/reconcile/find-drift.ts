/**
 * @module services/reconcile/find-drift
 * Compares the rows with what the backends hold, without I/O: what a row names but a backend lacks
 * (missing), holds under someone else's name (foreign) or points at the wrong place
 * (pointing_elsewhere), what carries our mark but no row accounts for (orphan), and the repository
 * an interrupted create made but never marked, recognised by its journaled intent (unmarked).
 */
import type { Config } from '../../config.js';
import { isInZone } from '../../domain/fqdn.js';
import type { Project } from '../../domain/project.js';
import { desiredProjectRecord } from '../projects/project-dns.js';
import { mismatchWithIntent, type OpenRepoIntent } from '../projects/repo-create-intent.js';
import type { ObservedState } from './observed-state.js';
import { findDatabaseDrift } from './database-drift.js';

export type DriftKind = 'missing' | 'foreign' | 'pointing_elsewhere' | 'orphan' | 'unmarked';

export interface Drift {
  project: string;
  backend: 'git' | 'ci' | 'dns' | 'deployer' | 'database';
  kind: DriftKind;
  detail: string;
  /** For orphans a repair may remove: the DNS record id or CI repository id, so it removes exactly that. */
  ref?: string;
}

/**
 * `databases`: the projects that should have a database (database-drift.ts).
 * `intents`: the open repository intents of projects whose create has not finished (by project
 * name), from the journal; such projects are otherwise not compared, being half made by design.
 */
export function findDrift(
  config: Readonly<Config>,
  projects: readonly Project[],
  seen: ObservedState,
  options: { orphans: boolean; intents?: ReadonlyMap<string, OpenRepoIntent>; databases?: ReadonlySet<string> },
): Drift[] {
  const drift: Drift[] = [];
  const owner = config.THREESIX_OWNER_ID;
  // Indexed once, so each project is a few lookups: comparing every project with whole lists was
  // O(projects × objects), seconds at 10,000 projects.
  const repos = new Map(seen.git?.repos.map((r) => [r.name, r]));
  const built = new Set(seen.ci?.filter((c) => c.active).map((c) => c.forgeRemoteId));
  const records = groupBy(seen.dns?.records ?? [], (r) => r.name);
  const workloads = new Set(seen.deployer?.map((w) => w.project));
  for (const p of projects.filter((p) => p.state === 'ready')) {
    const add = (backend: Drift['backend'], kind: DriftKind, detail: string) =>
      drift.push({ project: p.name, backend, kind, detail });
    const repo = repos.get(p.gitRepoName ?? p.name);
    if (seen.git && !repo)
      add('git', 'missing', `repository ${seen.git.org}/${p.gitRepoName ?? p.name} does not exist`);
    if (repo && !repo.managed) add('git', 'foreign', `repository ${repo.fullName} does not carry the threesix marker`);
    if (seen.ci && repo?.managed && !built.has(repo.id)) add('ci', 'missing', `CI does not build ${repo.fullName}`);
    if (seen.dns) {
      const own = {
        name: `${p.name}.${seen.dns.zone}`,
        want: desiredProjectRecord(config, `${p.name}.${seen.dns.zone}`, 'any'),
      };
      const custom = p.customDomains
        .filter((d) => isInZone(d, seen.dns!.zone))
        .map((d) => ({ name: d, want: { type: 'CNAME', content: own.name } }));
      for (const { name, want } of [own, ...custom]) {
        const at = records.get(name) ?? [];
        const ours = at.filter((r) => r.owner === owner && r.type === want.type);
        if (ours.some((r) => r.content !== want.content))
          add(
            'dns',
            'pointing_elsewhere',
            `${name} ${want.type} points at ${ours.map((r) => r.content).join(', ')}, not ${want.content}`,
          );
        else if (ours.length === 0 && at.some((r) => r.owner !== owner))
          add('dns', 'foreign', `${name} is held by a record threesix does not own`);
        else if (ours.length === 0) add('dns', 'missing', `${name} has no ${want.type} record`);
      }
    }
    // Only a settled deployment must have a workload: while deploying, the apply may not have happened yet.
    const live = p.deploymentStatus === 'running';
    if (seen.deployer && live && !workloads.has(p.name))
      add('deployer', 'missing', `the workload of ${p.name} is gone from the cluster`);
  }
  for (const [name, open] of options.intents ?? []) {
    const repo = repos.get(open.intent.repo);
    if (!repo || repo.managed) continue;
    const mismatch = mismatchWithIntent(repo, open.intent);
    drift.push(
      mismatch === null
        ? {
            project: name,
            backend: 'git',
            kind: 'unmarked',
            detail: `repository ${repo.fullName} has no threesix marker, but create_project operation ${open.operationId} journaled creating it at ${open.intent.at} and it matches (empty, owned by ${repo.owner}, created ${repo.createdAt}): resume with retry_operation, or remove it with delete_project`,
          }
        : {
            project: name,
            backend: 'git',
            kind: 'foreign',
            detail: `repository ${repo.fullName} holds the name of the unfinished project ${name}, but it is not the one threesix set out to create: ${mismatch}`,
          },
    );
  }
  if (seen.databases)
    drift.push(...findDatabaseDrift(projects, seen.databases, options.databases ?? new Set(), options.orphans));
  if (options.orphans) drift.push(...findOrphans(config, projects, seen));
  return drift;
}

function findOrphans(config: Readonly<Config>, projects: readonly Project[], seen: ObservedState): Drift[] {
  const names = new Set(projects.map((p) => p.name));
  const repoNames = new Set(projects.map((p) => p.gitRepoName ?? p.name));
  const hosts = new Set(
    projects.flatMap((p) => [p.domain, `${p.name}.${config.DEFAULT_DOMAIN}`, ...p.customDomains]).filter(Boolean),
  );
  const orphans: Drift[] = [];
  for (const r of seen.git?.repos.filter((r) => r.managed && !repoNames.has(r.name)) ?? []) {
    orphans.push({
      project: r.name,
      backend: 'git',
      kind: 'orphan',
      detail: `repository ${r.fullName} carries the threesix marker but no project owns it`,
    });
  }
  const org = seen.git?.org;
  const repoIds = new Set(seen.git?.repos.map((r) => r.id));
  for (const c of seen.ci?.filter((c) => org && c.fullName.startsWith(`${org}/`)) ?? []) {
    const name = c.fullName.slice(org!.length + 1);
    // A repository deleted and re-created gets a new id: the activation of the old id builds nothing.
    const stale = !repoIds.has(c.forgeRemoteId);
    if (stale)
      orphans.push({
        project: name,
        backend: 'ci',
        kind: 'orphan',
        detail: `CI activation ${c.id} builds a repository that no longer exists`,
        ref: String(c.id),
      });
    else if (!repoNames.has(name))
      orphans.push({
        project: name,
        backend: 'ci',
        kind: 'orphan',
        detail: `CI builds ${c.fullName}, which no project owns`,
      });
  }
  for (const r of seen.dns?.records.filter((r) => r.owner === config.THREESIX_OWNER_ID && !hosts.has(r.name)) ?? []) {
    orphans.push({
      project: r.name.split('.')[0]!,
      backend: 'dns',
      kind: 'orphan',
      detail: `DNS ${r.type} ${r.name} is marked as threesix's but no project uses it`,
      ref: r.id,
    });
  }
  for (const w of seen.deployer?.filter((w) => !names.has(w.project)) ?? []) {
    orphans.push({
      project: w.project,
      backend: 'deployer',
      kind: 'orphan',
      detail: `workload objects (${w.kinds.join(', ')}) of ${w.project} carry threesix labels but no project owns them`,
    });
  }
  return orphans;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
