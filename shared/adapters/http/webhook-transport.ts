/**
 * The webhook transport: one POST per delivery with Node's http/https client, the URL policy enforced
 * on the address the connection actually uses (a custom `lookup` checks every address DNS returns, so
 * a name that resolved to a public address when the destination was created and to a private one now
 * is refused: no DNS rebinding into the VPC or the instance metadata service). Redirects are not
 * followed; the answer's body is read and discarded (at most 64 KiB).
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { promises as dns } from 'node:dns';
import * as http from 'node:http';
import * as https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { WebhookUrlRefusedError } from '../../domain/errors.js';
import { assertAddressAllowed, type DeliveryAttempt, type WebhookUrlPolicy } from '../../domain/webhooks.js';
import type { HostResolver, WebhookRequest, WebhookTransport } from '../../usecases/ports/webhooks.js';

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * The stage's URL policy: loopback receivers only where `WEBHOOK_ALLOW_LOOPBACK=true` (the local
 * stack sets it; the CDK never does, so on AWS only public https receivers are reached).
 */
export function webhookUrlPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): WebhookUrlPolicy {
  return { allowLoopback: env.WEBHOOK_ALLOW_LOOPBACK === 'true' };
}

/** Every address a host name resolves to (system resolver, both families). */
export const resolveHostAddresses: HostResolver = async (hostname) => (await dns.lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

function guardedLookup(policy: WebhookUrlPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      try {
        for (const a of addresses) assertAddressAllowed(a.address, policy);
      } catch (refused) {
        return callback(refused as NodeJS.ErrnoException, '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (first === undefined) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      return callback(null, first.address, first.family);
    });
  };
}

export class HttpWebhookTransport implements WebhookTransport {
  constructor(private readonly options: { timeoutMs?: number } = {}) {}

  send(request: WebhookRequest, policy: WebhookUrlPolicy): Promise<DeliveryAttempt> {
    const url = new URL(request.url);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    try {
      if (isIP(host) !== 0) assertAddressAllowed(host, policy);
    } catch (err) {
      return Promise.resolve({ kind: 'refused_address', message: (err as Error).message });
    }
    const client = url.protocol === 'https:' ? https : http;
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
    return new Promise<DeliveryAttempt>((resolve) => {
      let settled = false;
      const done = (attempt: DeliveryAttempt) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(attempt);
      };
      const req = client.request(
        url,
        {
          method: 'POST',
          headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
          lookup: guardedLookup(policy),
          agent: false,
        },
        (res) => {
          let read = 0;
          res.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > MAX_ANSWER_BYTES) res.destroy();
          });
          res.on('end', () => done({ kind: 'response', status: res.statusCode ?? 0 }));
          res.on('close', () => done({ kind: 'response', status: res.statusCode ?? 0 }));
          res.on('error', () => done({ kind: 'response', status: res.statusCode ?? 0 }));
        },
      );
      const timer = setTimeout(() => {
        done({ kind: 'timeout' });
        req.destroy();
      }, timeoutMs);
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err instanceof WebhookUrlRefusedError) done({ kind: 'refused_address', message: err.message });
        else done({ kind: 'network', message: `${err.code ?? err.name}: ${err.message}`.slice(0, 300) });
      });
      req.end(request.body);
    });
  }
}
