/** Schemas of the tenant routes (`GET /tenants`, `PUT /tenants/{tenantId}`). */
import { z } from 'zod';

export const tenantSchema = z
  .object({
    tenantId: z.string(),
    displayName: z.string().meta({ description: 'The name people recognise; the tenant id when none was given.' }),
    named: z.boolean().meta({ description: 'Whether a display name was given (false: displayName is the id).' }),
    updatedAt: z.string().meta({ format: 'date-time' }).optional(),
    updatedBy: z.string().optional(),
  })
  .meta({ id: 'Tenant' });

export const tenantList = z.object({ items: z.array(tenantSchema) }).meta({ id: 'TenantList' });

export const renameTenantBody = z
  .strictObject({
    displayName: z
      .string()
      .trim()
      .min(1)
      .max(256)
      .refine((v) => ![...v].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), 'no control characters'),
  })
  .meta({ id: 'TenantRenameRequest' });
