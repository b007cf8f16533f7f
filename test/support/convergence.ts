/**
 * Compares the database with every memory backend and lists each disagreement: a project row
 * whose repository, CI activation or DNS record is missing, or a backend object of ours that no
 * row accounts for (an orphan). An empty list means they agree.
 */
import type { LifecycleApp } from './lifecycle-app.js';

/** `foreign`: repositories the test itself made as someone else's, which must stay and belong to nobody. */
export async function disagreements(lc: LifecycleApp, options: { foreign?: string[] } = {}): Promise<string[]> {
  const problems: string[] = [];
  const projects = await lc.app.store.projects.all();
  const names = new Set(projects.map((p) => p.name));
  const repos = (await lc.git.listRepos({ limit: 50 })).items;
  const ciRepos = await lc.ci.listRepos();
  const records = (await lc.dns.listRecords()).filter((r) => r.owner === lc.app.config.THREESIX_OWNER_ID);
  const workloads = await lc.deployer.listManaged();
  for (const p of projects) {
    if (p.state !== 'ready') problems.push(`${p.name}: state ${p.state}`);
    const repo = repos.find((r) => r.name === p.name);
    if (!repo?.managed) problems.push(`${p.name}: repository missing`);
    else if (repo.id !== p.gitRepoId) problems.push(`${p.name}: repository id ${repo.id} != row ${p.gitRepoId}`);
    const ci = ciRepos.find((c) => c.forgeRemoteId === repo?.id);
    if (!ci) problems.push(`${p.name}: CI activation missing`);
    else if (ci.id !== p.ciRepoId) problems.push(`${p.name}: CI id ${ci.id} != row ${p.ciRepoId}`);
    if (ci && !lc.ci.secretValue(ci.id, 'threesix_deploy_token'))
      problems.push(`${p.name}: deploy token secret missing`);
    const record = records.filter((r) => r.name === `${p.name}.example.test`);
    if (record.length !== 1) problems.push(`${p.name}: ${record.length} DNS records`);
    else if (JSON.stringify(p.dnsRecordIds) !== JSON.stringify([record[0]!.id]))
      problems.push(`${p.name}: DNS record id not stored`);
    if (repo && !repo.empty && !lc.git.filesOn(p.name, 'main')['.woodpecker.yaml'])
      problems.push(`${p.name}: starter files missing`);
    if (repo?.empty) problems.push(`${p.name}: repository has no starter commit`);
  }
  // Marked or not: a crash between Gitea's create and the marker leaves an unmarked one that is still ours.
  for (const r of repos.filter((r) => !names.has(r.name) && !options.foreign?.includes(r.name)))
    problems.push(`orphan repository ${r.fullName}${r.managed ? '' : ' (unmarked)'}`);
  for (const c of ciRepos.filter((c) => !repos.some((r) => r.id === c.forgeRemoteId && names.has(r.name))))
    problems.push(`orphan CI repository ${c.fullName}`);
  for (const r of records.filter((r) => !names.has(r.name.split('.')[0]!)))
    problems.push(`orphan DNS record ${r.name}`);
  for (const w of workloads.filter((w) => !names.has(w.project))) problems.push(`orphan workload ${w.project}`);
  return problems;
}
