/**
 * Ports of the signed webhooks: the destinations of a workspace, the sealed parts of a destination
 * (its URL and signing secret), the record of what was delivered, and the transport that POSTs.
 */
import type { DeliveryAttempt, WebhookDestination, WebhookUrlPolicy } from '../../domain/webhooks.js';

/** A destination as stored: its description plus the sealed URL and the reference of its signing secret. */
export interface StoredWebhookDestination extends WebhookDestination {
  /** The URL, sealed by `WebhookSecrets.sealUrl` (never stored in clear). */
  sealedUrl: string;
  /** What `WebhookSecrets` derives the signing secret from (not the secret). */
  secretRef: string;
}

export interface WebhookDestinationPage {
  items: StoredWebhookDestination[];
  cursor?: string;
}

export interface WebhookDestinationRepository {
  /** Stores a new destination (its id must be new). */
  create(destination: StoredWebhookDestination): Promise<void>;
  get(workspaceId: string, webhookId: string): Promise<StoredWebhookDestination | undefined>;
  /** A workspace's destinations, oldest first. */
  list(workspaceId: string, page: { limit: number; cursor?: string }): Promise<WebhookDestinationPage>;
  /** Every destination of a workspace (the delivery reads them all). */
  listAll(workspaceId: string): Promise<StoredWebhookDestination[]>;
  /** Removes a destination; false when there was none. */
  delete(workspaceId: string, webhookId: string): Promise<boolean>;
}

/**
 * Signing secrets and URLs of destinations, kept out of the tables in clear: the stage's webhook
 * master key (Secrets Manager on AWS, a local key file or variable locally) derives each secret and
 * seals each URL; the table holds only a random reference and the sealed URL.
 */
export interface WebhookSecrets {
  /** A new signing secret (`whsec_` + base64) and the reference it is derived from. */
  issue(workspaceId: string, webhookId: string): Promise<{ secret: string; secretRef: string }>;
  /** The signing secret of a destination from its reference. */
  secretFor(workspaceId: string, webhookId: string, secretRef: string): Promise<string>;
  sealUrl(workspaceId: string, webhookId: string, url: string): Promise<string>;
  openUrl(workspaceId: string, webhookId: string, sealed: string): Promise<string>;
}

/** The addresses a host name resolves to (every one of them is checked against the URL policy). */
export type HostResolver = (hostname: string) => Promise<string[]>;

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * POSTs one delivery and reports how it went; never throws for the receiver's failures. The
 * transport enforces the URL policy on the address it actually connects to.
 */
export interface WebhookTransport {
  send(request: WebhookRequest, policy: WebhookUrlPolicy): Promise<DeliveryAttempt>;
}

export type DeliveryStatus = 'delivered' | 'refused';

export interface DeliveryRecord {
  eventId: string;
  webhookId: string;
  status: DeliveryStatus;
  /** HTTP status of the final attempt, when there was an answer. */
  httpStatus?: number;
  at: string;
  detail?: string;
}

/** What was delivered (or refused for good) per (event, destination): a retried or republished event skips them. */
export interface WebhookDeliveryLog {
  get(eventId: string, webhookId: string): Promise<DeliveryRecord | undefined>;
  record(entry: DeliveryRecord): Promise<void>;
}
