// Seeds N projects for projects-10k.mjs: rows straight into SQLite through the store, one managed
// repository each in the Gitea stand-in's state file, one owned record each in the Cloudflare
// stand-in's zone, one activation each in the Woodpecker stand-in; then boots threesix on them
// (--sandbox supplies the registry and the cluster).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDataDir } from './temp-dirs.mjs';

export const name = (i) => `p${String(i).padStart(5, '0')}`;

/** Gitea's state file with the organization and one managed repository per project. */
function seedGitea(dir, org, count) {
  mkdirSync(dir, { recursive: true });
  const created = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const repos = Array.from({ length: count }, (_, i) => ({
    id: 2 + i,
    owner: org,
    name: name(i),
    description: '',
    private: false,
    defaultBranch: 'main',
    archived: false,
    topics: ['threesix-managed'],
    created,
    updated: created,
    collaborators: {},
    keys: [],
    hooks: [],
  }));
  writeFileSync(
    join(dir, 'state.json'),
    JSON.stringify({ nextId: count + 2, users: [], orgs: [{ id: 1, name: org, created }], repos }),
  );
}

export async function setUp(src, desiredProjectRecord, count) {
  const dataDir = tempDataDir();
  const base = src.loadConfig({ THREESIX_DATA_DIR: dataDir });
  seedGitea(join(dataDir, 'seed-gitea'), base.GITEA_DEFAULT_ORG, count);
  const gitea = await src.startGiteaStandIn({ dataDir: join(dataDir, 'seed-gitea'), org: base.GITEA_DEFAULT_ORG });
  const cloudflare = await src.startCloudflareStandIn({
    zoneName: base.DEFAULT_DOMAIN,
    seedPlatform: true,
    platformIp: base.CLUSTER_IP,
  });
  const records = [];
  for (let i = 0; i < count; i++) {
    const want = desiredProjectRecord(base, `${name(i)}.${base.DEFAULT_DOMAIN}`, 'cloudflare');
    records.push(cloudflare.zone.create({ ...want, comment: src.ownerMark(base.THREESIX_OWNER_ID) }).id);
  }
  const org = base.GITEA_DEFAULT_ORG;
  const ci = await src.startWoodpeckerStandIn({ giteaUrl: gitea.url, giteaToken: gitea.token });
  const activations = [];
  for (let i = 0; i < count; i++) {
    const repo = { forgeRemoteId: 2 + i, owner: org, name: name(i), defaultBranch: 'main', private: false };
    activations.push(
      ci.state.add({
        ...repo,
        cloneUrl: `${gitea.url}/${org}/${name(i)}.git`,
        forgeUrl: `${gitea.url}/${org}/${name(i)}`,
      }).id,
    );
  }
  const booted = await src.boot({
    sandbox: true,
    env: {
      THREESIX_DATA_DIR: dataDir,
      THREESIX_LOG_LEVEL: 'error',
      GITEA_URL: gitea.url,
      GITEA_TOKEN: gitea.token,
      DNS_PROVIDER: 'cloudflare',
      CLOUDFLARE_API_URL: cloudflare.apiUrl,
      CLOUDFLARE_API_TOKEN: cloudflare.token,
      CLOUDFLARE_ZONE_ID: cloudflare.zone.id,
      WOODPECKER_URL: ci.url,
      WOODPECKER_TOKEN: ci.token,
    },
  });
  const { app } = booted;
  const seeded = performance.now();
  for (let i = 0; i < count; i++) {
    await app.store.projects.create({
      name: name(i),
      description: '',
      state: 'ready',
      gitRepoName: name(i),
      gitRepoId: 2 + i,
      domain: `${name(i)}.${base.DEFAULT_DOMAIN}`,
      dnsRecordIds: [records[i]],
      ciRepoId: activations[i],
    });
  }
  const seedMs = performance.now() - seeded;
  const backendOf = (target) => {
    if (target.includes(new URL(gitea.url).host)) return 'git';
    if (target.includes(new URL(cloudflare.apiUrl).host)) return 'dns';
    if (target.includes(new URL(ci.url).host)) return 'ci';
    const entry = Object.entries(booted.sandbox?.endpoints ?? {}).find(
      ([, url]) => url && target.includes(new URL(url).host),
    );
    return entry?.[0] ?? 'other';
  };
  return {
    app,
    seedMs,
    backendOf,
    close: async () => {
      await booted.shutdown();
      await ci.stop();
      await gitea.stop();
      await cloudflare.close();
    },
  };
}
