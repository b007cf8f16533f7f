/**
 * @module adapters/kubernetes/kube-errors
 * Translates client-node failures into DomainErrors. Only the Status `reason` and our own words
 * reach the message; the raw body (which can quote object contents) stays in `cause`.
 */
import {
  DomainError,
  conflict,
  invalidInput,
  notFound,
  permissionDenied,
  upstreamUnavailable,
} from '../../domain/errors.js';

interface StatusBody {
  reason?: string;
  code?: number;
  details?: { retryAfterSeconds?: number; causes?: Array<{ reason?: string; field?: string }> };
}

export function statusCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

function statusBody(error: unknown): StatusBody {
  const body = (error as { body?: unknown })?.body;
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as StatusBody;
    } catch {
      return {};
    }
  }
  return body ?? {};
}

export function translateKubeError(error: unknown, what: string): DomainError {
  if (error instanceof DomainError) return error;
  const code = statusCode(error);
  const body = statusBody(error);
  switch (code) {
    case 400:
    case 422: {
      const fields = (body.details?.causes ?? [])
        .map((c) => c.field)
        .filter(Boolean)
        .join(', ');
      return invalidInput(`the cluster rejected ${what} (${body.reason ?? 'Invalid'}${fields ? `: ${fields}` : ''})`);
    }
    case 401:
    case 403:
      return permissionDenied(
        `the cluster denied ${what} (${body.reason ?? 'Forbidden'})`,
        'Give the service account get/list/create/patch/delete on deployments, services, ingresses, secrets and pods in DEPLOY_NAMESPACE; run `threesix-mcp doctor`',
      );
    case 404:
      return notFound(`${what}: not found in the cluster`);
    case 409: {
      const fields = (body.details?.causes ?? [])
        .map((c) => c.field)
        .filter(Boolean)
        .join(', ');
      return conflict(
        `${what} conflicts with the cluster's state (${body.reason ?? 'Conflict'}${fields ? `: ${fields}` : ''})`,
        'Retry; if it persists, check who else manages the object',
      );
    }
    case 429:
      return upstreamUnavailable('Kubernetes', {
        cause: error,
        retryAfterMs: (body.details?.retryAfterSeconds ?? 1) * 1000,
      });
    default:
      return upstreamUnavailable('Kubernetes', { cause: error, message: `the Kubernetes API failed during ${what}` });
  }
}

/** Runs a call, translating failures; `allow404` turns not-found into undefined. */
export async function kube<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw translateKubeError(error, what);
  }
}

export async function kubeOptional<T>(what: string, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (statusCode(error) === 404) return undefined;
    throw translateKubeError(error, what);
  }
}
