/**
 * @module ports/image-registry
 * OCI registry: resolve tags to digests.
 */
import type { BackendProbe } from './backend-probe.port.js';

export interface ImageRegistry extends BackendProbe {}
