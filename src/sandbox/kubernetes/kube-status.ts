/**
 * @module sandbox/kubernetes/kube-status
 * Kubernetes `Status` error bodies, shaped as apimachinery's errors.go builds them.
 */
export class KubeStatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  toBody() {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

export const notFoundStatus = (resource: string, name: string, group = '') =>
  new KubeStatusError(404, 'NotFound', `${resource}${group ? `.${group}` : ''} "${name}" not found`, {
    name,
    group,
    kind: resource,
  });

export const alreadyExistsStatus = (resource: string, name: string, group = '') =>
  new KubeStatusError(409, 'AlreadyExists', `${resource}${group ? `.${group}` : ''} "${name}" already exists`, {
    name,
    group,
    kind: resource,
  });

export const badRequest = (message: string) => new KubeStatusError(400, 'BadRequest', message);

export const successStatus = (resource: string, name: string, group = '') => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Success',
  details: { name, group, kind: resource },
});
