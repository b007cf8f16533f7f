/**
 * @module sandbox/cloudflare/cloudflare-zone
 * The record store behind the Cloudflare stand-in, with the rules the real API enforces: content
 * per type, TTL 1 or 60-86400, no proxying of TXT, CNAME exclusivity (81053), identical records
 * (81058), unknown ids (81044). Records are kept in Cloudflare's wire shape.
 */
import { randomBytes } from 'node:crypto';
import { canonicalIPv6Content, isIPv4Content } from './ip-content.js';

export interface CfRecord {
  id: string;
  type: string;
  name: string;
  content: string;
  proxiable: boolean;
  proxied: boolean;
  ttl: number;
  comment?: string;
  tags: string[];
  meta: { auto_added: boolean; source: string };
  created_on: string;
  modified_on: string;
}

export class CfError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const TYPES = ['A', 'AAAA', 'CNAME', 'TXT', 'MX', 'NS'];
const PROXIABLE = ['A', 'AAAA', 'CNAME'];
const HOST = /^([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;

export class CloudflareZone {
  private readonly records = new Map<string, CfRecord>();
  private clock = Date.parse('2026-01-01T00:00:00Z');

  constructor(
    readonly id: string,
    readonly name: string,
  ) {}

  all(): CfRecord[] {
    return [...this.records.values()].map((r) => structuredClone(r));
  }

  get(id: string): CfRecord {
    const record = this.records.get(id);
    if (!record) throw new CfError(404, 81044, 'Record does not exist.');
    return structuredClone(record);
  }

  create(body: unknown): CfRecord {
    const fields = this.validate(body);
    this.checkCollisions(fields);
    const now = this.now();
    const record: CfRecord = {
      id: randomBytes(16).toString('hex'),
      ...fields,
      meta: { auto_added: false, source: 'primary' },
      created_on: now,
      modified_on: now,
    };
    this.records.set(record.id, record);
    return structuredClone(record);
  }

  /** PUT replaces every writable field; PATCH keeps the ones not given. */
  update(id: string, body: unknown, merge: boolean): CfRecord {
    const existing = this.get(id);
    const given = isObject(body) ? body : {};
    const base = merge
      ? {
          type: existing.type,
          name: existing.name,
          content: existing.content,
          proxied: existing.proxied,
          ttl: existing.ttl,
          comment: existing.comment,
          tags: existing.tags,
        }
      : {};
    const fields = this.validate({ ...base, ...given });
    this.checkCollisions(fields, id);
    const record: CfRecord = { ...existing, ...fields, modified_on: this.now() };
    if (fields.comment === undefined) delete record.comment;
    this.records.set(id, record);
    return structuredClone(record);
  }

  delete(id: string): { id: string } {
    this.get(id);
    this.records.delete(id);
    return { id };
  }

  private now(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }

  private validate(
    body: unknown,
  ): Pick<CfRecord, 'type' | 'name' | 'content' | 'proxiable' | 'proxied' | 'ttl' | 'comment' | 'tags'> {
    const bad = (message: string, code = 1004) => new CfError(400, code, message);
    if (!isObject(body)) throw bad('DNS Validation Error: request body must be a JSON object');
    const { type, name, content, proxied = false, ttl = 1, comment, tags = [] } = body;
    if (typeof type !== 'string' || !TYPES.includes(type))
      throw bad('DNS Validation Error: unsupported or missing record type');
    if (typeof name !== 'string' || name === '') throw bad('DNS Validation Error: name is required', 9007);
    const fqdn = this.qualify(name);
    if (fqdn !== this.name && !fqdn.endsWith(`.${this.name}`))
      throw bad('DNS Validation Error: name is not in the zone', 9007);
    if (typeof content !== 'string' || content === '') throw bad('DNS Validation Error: content is required', 9005);
    let value = content;
    if (type === 'A' && !isIPv4Content(content))
      throw bad('Content for A record is invalid. Must be a valid IPv4 address', 9005);
    if (type === 'AAAA') value = canonicalIPv6Content(content) ?? '';
    if (type === 'AAAA' && !value) throw bad('Content for AAAA record is invalid. Must be a valid IPv6 address', 9006);
    if (type === 'CNAME' || type === 'NS') value = content.toLowerCase().replace(/\.$/, '');
    if ((type === 'CNAME' || type === 'NS') && !HOST.test(value))
      throw bad(`Content for ${type} record is invalid. Must be a hostname`, 9005);
    if (type === 'CNAME' && value === fqdn)
      throw bad('Content for CNAME record is invalid. It must not match the name', 9005);
    if (type === 'TXT' && content.length > 2048) throw bad('Content for TXT record is too long', 9005);
    if (typeof proxied !== 'boolean') throw bad('proxied must be a boolean');
    if (proxied && !PROXIABLE.includes(type)) throw bad(`${type} records cannot be proxied.`, 9004);
    if (typeof ttl !== 'number' || !Number.isInteger(ttl) || (ttl !== 1 && (ttl < 60 || ttl > 86400)))
      throw bad('TTL must be between 60 and 86400 seconds, or 1 for Automatic', 9021);
    if (comment !== undefined && comment !== null && (typeof comment !== 'string' || comment.length > 100))
      throw bad('DNS record comment is invalid or longer than 100 characters', 9106);
    if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string' && /^[\w-]+:.*$/.test(t)))
      throw bad('DNS record tags must be name:value strings', 9107);
    return {
      type,
      name: fqdn,
      content: value,
      proxiable: PROXIABLE.includes(type),
      proxied,
      // Proxied records are always served with automatic TTL.
      ttl: proxied ? 1 : ttl,
      comment: typeof comment === 'string' && comment !== '' ? comment : undefined,
      tags: tags as string[],
    };
  }

  private qualify(name: string): string {
    const lower = name.toLowerCase().replace(/\.$/, '');
    if (lower === '@') return this.name;
    return lower === this.name || lower.endsWith(`.${this.name}`) ? lower : `${lower}.${this.name}`;
  }

  private checkCollisions(next: Pick<CfRecord, 'type' | 'name' | 'content'>, ignoreId?: string): void {
    for (const r of this.records.values()) {
      if (r.id === ignoreId || r.name !== next.name) continue;
      if (r.type === next.type && r.content === next.content)
        throw new CfError(400, 81058, 'An identical record already exists.');
      if (r.type !== next.type && (r.type === 'CNAME' || next.type === 'CNAME')) {
        throw new CfError(400, 81053, 'An A, AAAA, or CNAME record with that host already exists.');
      }
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
