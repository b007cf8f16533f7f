/**
 * @module ports/backend-probe
 * Every backend adapter can say whether it is reachable with the credentials it holds; /readyz and
 * `doctor` ask through this, never through vendor calls of their own.
 */
export interface BackendCheck {
  /** Short name of what was checked, e.g. "token scopes". */
  check: string;
  ok: boolean;
  detail: string;
}

export interface BackendProbe {
  /** Cheap reachability check; throws a DomainError when the backend cannot be used. */
  probe(): Promise<void>;
  /** Deeper checks for `doctor`: reachability and permissions, one row each. */
  diagnose?(): Promise<BackendCheck[]>;
}
