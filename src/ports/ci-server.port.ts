/**
 * @module ports/ci-server
 * CI server (Woodpecker): repository activation, secrets, pipelines.
 */
import type { BackendProbe } from './backend-probe.port.js';

export interface CiServer extends BackendProbe {}
