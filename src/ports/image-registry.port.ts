/**
 * @module ports/image-registry
 * The OCI registry through the distribution API.
 */
import type { BackendProbe } from './backend-probe.port.js';

export interface ImageRegistry extends BackendProbe {
  /** Registry host (and port) images are pushed to, e.g. "zot.threesix.svc:5000". */
  readonly host: string;
  /** Resolves `repository:tag` to its manifest digest; NOT_FOUND when the tag does not exist. */
  resolve(repository: string, tag: string): Promise<{ digest: string }>;
}
