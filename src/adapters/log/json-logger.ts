/**
 * @module adapters/log/json-logger
 * One JSON object per line on stderr. Fields whose names suggest a credential are replaced, and
 * known secret values are scrubbed from every string, so a careless `cause` cannot leak a token.
 */
import type { LogFields, Logger } from '../../ports/logger.port.js';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type Level = keyof typeof LEVELS;
const SECRET_KEY = /token|secret|password|authorization|api[-_]?key|cookie/i;

export interface JsonLoggerOptions {
  level?: Level;
  /** Values that must never be printed, e.g. configured tokens. */
  secrets?: readonly string[];
  write?: (line: string) => void;
}

export function createJsonLogger(options: JsonLoggerOptions = {}, bindings: LogFields = {}): Logger {
  const threshold = LEVELS[options.level ?? 'info'];
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 4);
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const scrub = (value: unknown, depth = 0): unknown => {
    if (typeof value === 'string') return secrets.reduce((s, secret) => s.split(secret).join('[redacted]'), value);
    if (value instanceof Error)
      return {
        name: value.name,
        message: scrub(value.message),
        code: (value as { code?: unknown }).code,
        stack: scrub(value.stack),
      };
    if (depth > 5 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : scrub(v, depth + 1);
    return out;
  };
  const emit = (level: Level, msg: string, fields?: LogFields) => {
    if (LEVELS[level] < threshold) return;
    const record = scrub({ time: new Date().toISOString(), level, msg, ...bindings, ...fields });
    write(`${JSON.stringify(record)}\n`);
  };
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    child: (extra) => createJsonLogger(options, { ...bindings, ...extra }),
  };
}
