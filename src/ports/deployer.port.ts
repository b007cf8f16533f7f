/**
 * @module ports/deployer
 * Workloads on Kubernetes: apply, status, scale, restart, logs, remove.
 */
import type { BackendProbe } from './backend-probe.port.js';

export interface Deployer extends BackendProbe {}
