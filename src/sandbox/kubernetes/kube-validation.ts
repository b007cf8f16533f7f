/**
 * @module sandbox/kubernetes/kube-validation
 * What the API server refuses before it stores anything: object names that are not valid DNS
 * names (422 `Invalid`, kubernetes/kubernetes staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go
 * `IsDNS1123Subdomain`, `IsDNS1123Label`, `IsDNS1035Label`; which rule per kind from
 * pkg/apis/core/validation/validation.go and pkg/apis/apps/validation/validation.go, e.g.
 * `ValidateServiceName = NameIsDNS1035Label`), and writes made against an outdated
 * resourceVersion (409 `Conflict`, staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go
 * `OptimisticLockErrorMsg`). Error bodies as apimachinery pkg/api/errors/errors.go `NewInvalid`
 * and `NewConflict` build them.
 */
import { KubeStatusError } from './kube-status.js';
import type { Resource } from './kube-store.js';

interface NameRule {
  pattern: RegExp;
  max: number;
  message: string;
}

const SUBDOMAIN: NameRule = {
  pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
  max: 253,
  message:
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
};
const LABEL_1123: NameRule = {
  pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
  max: 63,
  message:
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
};
const LABEL_1035: NameRule = {
  pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/,
  max: 63,
  message:
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
};

/** Services and Namespaces are DNS labels (they become DNS names); everything else here a subdomain. */
const ruleFor = (resource: Resource) =>
  resource.plural === 'services' ? LABEL_1035 : resource.plural === 'namespaces' ? LABEL_1123 : SUBDOMAIN;

/** `Deployment.apps`, `Service`: schema.GroupKind.String(). */
const groupKind = (resource: Resource) => (resource.group ? `${resource.kind}.${resource.group}` : resource.kind);

/** Throws 422 Invalid when the name breaks its kind's rule. */
export function validateName(resource: Resource, name: string): void {
  const rule = ruleFor(resource);
  const problems = [
    ...(name.length > rule.max ? [`must be no more than ${rule.max} characters`] : []),
    ...(rule.pattern.test(name) ? [] : [rule.message]),
  ];
  if (problems.length === 0) return;
  const causes = problems.map((p) => ({
    reason: 'FieldValueInvalid',
    message: `Invalid value: ${JSON.stringify(name)}: ${p}`,
    field: 'metadata.name',
  }));
  const errors = causes.map((c) => `${c.field}: ${c.message}`);
  const aggregate = errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
  throw new KubeStatusError(422, 'Invalid', `${groupKind(resource)} ${JSON.stringify(name)} is invalid: ${aggregate}`, {
    name,
    group: resource.group,
    kind: resource.kind,
    causes,
  });
}

/** Throws 409 Conflict when the caller's resourceVersion precondition is not the stored one. */
export function checkResourceVersion(resource: Resource, name: string, stored: string, given: unknown): void {
  // A number is compared as the string the API would have decoded it into.
  if (given === undefined || given === null || given === '' || given === stored) return;
  if (typeof given === 'number' && String(given) === stored) return;
  const qualified = resource.group ? `${resource.plural}.${resource.group}` : resource.plural;
  throw new KubeStatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified} ${JSON.stringify(name)}: the object has been modified; please apply your changes to the latest version and try again`,
    {
      name,
      group: resource.group,
      kind: resource.plural,
    },
  );
}
