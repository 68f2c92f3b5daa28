/**
 * A webhook receiver on loopback for tests: answers every POST with the status `answer` gives, and
 * keeps what arrived (headers, body, and whether the Standard Webhooks signature verified with the
 * secret it was given, checked with the `standardwebhooks` package as a receiver would).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedDelivery {
  id: string;
  headers: IncomingHttpHeaders;
  body: string;
  verified: boolean;
  json: Record<string, unknown>;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedDelivery[];
  /** The destination's signing secret, once it is known. */
  secret: string | undefined;
  /** Event ids and how often each arrived. */
  countsById(): Map<string, number>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(answer: (n: number) => number = () => 204, path = '/hooks/drift'): Promise<WebhookReceiver> {
  const received: ReceivedDelivery[] = [];
  const receiver: WebhookReceiver = {
    url: '',
    received,
    secret: undefined,
    countsById() {
      const m = new Map<string, number>();
      for (const r of received) m.set(r.id, (m.get(r.id) ?? 0) + 1);
      return m;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let verified = false;
      try {
        if (receiver.secret !== undefined) {
          new Webhook(receiver.secret).verify(body, req.headers as Record<string, string>);
          verified = true;
        }
      } catch {
        verified = false;
      }
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(body) as Record<string, unknown>;
      } catch {
        // kept as text
      }
      received.push({ id: String(req.headers['webhook-id'] ?? ''), headers: req.headers, body, verified, json });
      res.statusCode = req.url === path ? answer(received.length) : 404;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return receiver;
}
