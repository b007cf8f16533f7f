/**
 * @module sandbox/registry/registry-stand-in
 * `--sandbox` registry: serves the in-memory OCI registry and points REGISTRY_URL at it. Started
 * with Zot's compat docker2s2, as deployments/k8s/base/zot.yaml configures the real one.
 */
import { serveStandIn } from '../serve-stand-in.js';
import type { StandIn } from '../stand-in.js';
import { createRegistryApp } from './registry-app.js';

export const registryStandIn: StandIn = {
  backend: 'registry',
  title: 'OCI registry',
  async start(ctx) {
    const served = await serveStandIn(createRegistryApp({ compat: ['docker2s2'] }), {
      port: ctx.port,
      latencyMs: ctx.latencyMs,
    });
    return { env: { REGISTRY_URL: served.url }, endpoint: served.url, stop: () => served.close() };
  },
};
