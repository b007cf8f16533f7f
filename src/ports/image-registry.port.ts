/**
 * @module ports/image-registry
 * The OCI registry through the distribution API.
 */
import type { BackendProbe } from './backend-probe.port.js';

export interface ImageRegistry extends BackendProbe {
  /** Registry host (and port) images are pushed to, e.g. "zot.threesix.svc:5000". */
  readonly host: string;
  /**
   * Resolves a tag, or confirms a digest (`sha256:…`), in `repository` to its manifest digest;
   * NOT_FOUND when the registry does not hold that manifest there.
   */
  resolve(repository: string, reference: string): Promise<{ digest: string }>;
}
