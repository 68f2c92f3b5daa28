/**
 * `drift token --workspace <id> --tenant <id>[,<id>] [--role reader|operator|admin]`: prints a
 * development token for the local API (`npm start`), signed with the development key under `.drift/`
 * (created on first use, shared with `npm start`).
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { loadOrCreateDevKey, mintDevToken, type DevRole } from '../../infra/local/dev-auth.js';
import { parseList, UsageError } from '../../infra/local/terminal.js';

export const DEFAULT_STATE_DIR = '.drift';
const ROLES: readonly DevRole[] = ['reader', 'operator', 'admin'];
/** Ids go into paths and keys: no separators, no whitespace. */
const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export interface TokenOptions {
  workspace: string;
  tenants: string[];
  role: DevRole;
  subject?: string;
  ttlSeconds?: number;
  /** Where the development key lives (default `.drift`). */
  stateDir?: string;
}

export async function mintLocalToken(options: TokenOptions): Promise<string> {
  if (!ID.test(options.workspace)) throw new UsageError(`--workspace must be an id (letters, digits, . _ : -), not "${options.workspace}"`);
  if (options.tenants.length === 0) throw new UsageError('give at least one --tenant <id>');
  const bad = options.tenants.filter((t) => !ID.test(t));
  if (bad.length > 0) throw new UsageError(`--tenant must be ids (letters, digits, . _ : -): ${bad.join(', ')}`);
  const key = await loadOrCreateDevKey(options.stateDir ?? DEFAULT_STATE_DIR);
  return mintDevToken(key, {
    workspaceId: options.workspace,
    tenantIds: [...new Set(options.tenants)],
    role: options.role,
    ...(options.subject ? { subject: options.subject } : {}),
    ...(options.ttlSeconds !== undefined ? { ttlSeconds: options.ttlSeconds } : {}),
  });
}

function parseRole(value: string): DevRole {
  if ((ROLES as readonly string[]).includes(value)) return value as DevRole;
  throw new UsageError(`--role must be one of ${ROLES.join(', ')}, not "${value}"`);
}

function parseTtl(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 60 || n > 7 * 86_400) throw new UsageError(`--ttl is whole seconds from 60 to 604800, not "${value}"`);
  return n;
}

/** Adds the `token` command to the program. */
export function registerTokenCommand(program: Command): void {
  program
    .command('token')
    .description('print a development token for the local API started by npm start')
    .requiredOption('--workspace <id>', 'the workspace the token grants')
    .requiredOption('--tenant <id[,id]>', 'the tenants the token grants (comma-separated)', parseList)
    .addOption(new Option('--role <role>', 'reader, operator or admin').default('operator').argParser(parseRole))
    .option('--subject <user>', 'the caller (sub claim)', 'dev-user')
    .option('--ttl <seconds>', 'lifetime in seconds (default 3600)', parseTtl)
    .action(async (opts: { workspace: string; tenant: string[]; role: DevRole; subject: string; ttl?: number }) => {
      const token = await mintLocalToken({
        workspace: opts.workspace,
        tenants: opts.tenant,
        role: opts.role,
        subject: opts.subject,
        ...(opts.ttl !== undefined ? { ttlSeconds: opts.ttl } : {}),
      });
      process.stdout.write(`${token}\n`);
    });
}
