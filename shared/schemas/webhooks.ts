/**
 * Schemas of the webhook destination routes (`POST|GET /webhooks`, `DELETE /webhooks/{webhookId}`):
 * the API validates with them and the OpenAPI document is generated from them.
 */
import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_FORMATS } from '../domain/webhooks.js';
import { severitySchema } from './api.js';

export const webhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES).meta({
  id: 'WebhookEventType',
  description: 'A state transition: a finding opened, reopened (with its reopenReason) or resolved, or a compare that failed.',
});
export const webhookFormatSchema = z.enum(WEBHOOK_FORMATS).meta({
  id: 'WebhookFormat',
  description: '`standard`: Standard Webhooks JSON `{ type, timestamp, data }`; `teams`: a message with an Adaptive Card; `slack`: a Block Kit message.',
});

export const webhookParams = z.strictObject({
  webhookId: z.string().regex(/^wh_[A-Za-z0-9_-]{8,64}$/, 'must be a webhook id (wh_...)'),
});

export const createWebhookBody = z
  .strictObject({
    url: z.string().min(1).max(2048).meta({
      description: 'Where deliveries are POSTed: https to a public address (on the local stack also a loopback receiver, http allowed there).',
      examples: ['https://hooks.example.com/drift'],
    }),
    events: z
      .array(webhookEventTypeSchema)
      .min(1)
      .max(WEBHOOK_EVENT_TYPES.length)
      .refine((e) => new Set(e).size === e.length, 'each event type at most once'),
    minSeverity: severitySchema.default('low').meta({ description: 'Finding events below this severity are not sent (compare.failed always is). Default low.' }),
    format: webhookFormatSchema.default('standard'),
    description: z.string().trim().min(1).max(200).optional(),
  })
  .meta({ id: 'WebhookCreateRequest' });

export const webhookSchema = z
  .object({
    id: z.string(),
    url: z.string().meta({ description: 'The destination\'s origin; the path and query are not shown again (chat webhook paths are credentials).' }),
    events: z.array(webhookEventTypeSchema),
    minSeverity: severitySchema,
    format: webhookFormatSchema,
    description: z.string().optional(),
    createdAt: z.string().meta({ format: 'date-time' }),
    createdBy: z.string(),
  })
  .meta({ id: 'Webhook' });

export const createdWebhookSchema = webhookSchema
  .extend({
    secret: z.string().regex(/^whsec_/).meta({
      description: 'The signing secret (`whsec_` + base64), returned only in this answer: verify `webhook-signature` with it (Standard Webhooks).',
    }),
  })
  .meta({ id: 'WebhookCreated' });

export const webhookPage = z
  .object({
    items: z.array(webhookSchema),
    nextCursor: z.string().optional().meta({ description: 'Present when more items may follow.' }),
  })
  .meta({ id: 'WebhookPage' });
