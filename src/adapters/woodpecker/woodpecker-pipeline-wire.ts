/**
 * @module adapters/woodpecker/woodpecker-pipeline-wire
 * Woodpecker's pipeline JSON (swagger definitions Pipeline, model.Workflow, Step, LogEntry; Go
 * types in server/model/{pipeline,workflow,step,log}.go of woodpecker-ci/woodpecker) turned into
 * the port's terms. Times are unix seconds, 0 for "not yet"; a log entry's `data` is Go `[]byte`,
 * so on the wire it is a base64 string although swagger.json says "array of integer".
 */
import type { CiLogLine, CiPipeline, CiPipelineDetail, CiStep } from '../../ports/ci-server.port.js';

export interface WirePipeline {
  number: number;
  status?: string;
  event?: string;
  branch?: string;
  commit?: string;
  created?: number;
  started?: number;
  finished?: number;
  errors?: Array<{ message?: string }> | null;
  workflows?: Array<{ name?: string; children?: WireStep[] | null }> | null;
}

interface WireStep {
  id: number;
  name?: string;
  state?: string;
  exit_code?: number;
  error?: string;
  type?: string;
}

export interface WireLogEntry {
  line?: number;
  data?: string | number[] | null;
  /** 0 stdout, 1 stderr, 2 exit code, 3 metadata, 4 progress (server/model/log.go LogEntryType). */
  type?: number;
}

const iso = (seconds: number | undefined) => (seconds ? new Date(seconds * 1000).toISOString() : null);

export function toPipeline(wire: WirePipeline, webUrl: string): CiPipeline {
  return {
    number: wire.number,
    status: wire.status ?? 'unknown',
    event: wire.event ?? 'unknown',
    branch: wire.branch ?? '',
    commit: wire.commit ?? '',
    createdAt: iso(wire.created) ?? new Date(0).toISOString(),
    startedAt: iso(wire.started),
    finishedAt: iso(wire.finished),
    webUrl,
  };
}

export function toPipelineDetail(wire: WirePipeline, webUrl: string): CiPipelineDetail {
  const steps: CiStep[] = (wire.workflows ?? [])
    .flatMap((w) => w.children ?? [])
    .map((s) => ({
      id: s.id,
      name: s.name ?? '',
      state: s.state ?? 'unknown',
      exitCode: s.exit_code ?? 0,
      error: s.error || null,
    }));
  return {
    ...toPipeline(wire, webUrl),
    steps,
    errors: (wire.errors ?? []).map((e) => e.message ?? '').filter(Boolean),
  };
}

/** Output lines only (stdout, stderr); exit-code, metadata and progress entries are not text. */
export function toLogLines(entries: WireLogEntry[]): CiLogLine[] {
  return entries
    .filter((e) => e.type === undefined || e.type === 0 || e.type === 1)
    .map((e) => ({ line: e.line ?? 0, text: decodeData(e.data).replace(/\r?\n$/, '') }))
    .sort((a, b) => a.line - b.line);
}

function decodeData(data: WireLogEntry['data']): string {
  if (typeof data === 'string') return Buffer.from(data, 'base64').toString('utf8');
  if (Array.isArray(data)) return Buffer.from(data).toString('utf8');
  return '';
}
