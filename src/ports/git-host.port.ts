/**
 * @module ports/git-host
 * Git hosting (Gitea): repositories, collaborators, deploy keys, webhooks.
 */
import type { BackendProbe } from './backend-probe.port.js';

export interface GitHost extends BackendProbe {}
