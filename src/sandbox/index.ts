/**
 * The stand-ins `--sandbox` can start, in start order: later ones may talk to earlier ones
 * (the CI stand-in registers webhooks in the Gitea stand-in and pushes to the registry; the
 * Kubernetes stand-in pulls images from the registry).
 */
import { cloudflareStandIn } from './cloudflare/cloudflare-stand-in.js';
import { giteaStandIn } from './gitea/index.js';
import { kubernetesStandIn } from './kubernetes/kubernetes-stand-in.js';
import { registryStandIn } from './registry/registry-stand-in.js';
import type { StandIn } from './stand-in.js';
import { woodpeckerStandIn } from './woodpecker/index.js';

export const standIns: readonly StandIn[] = [
  giteaStandIn,
  cloudflareStandIn,
  registryStandIn,
  kubernetesStandIn,
  woodpeckerStandIn,
];
