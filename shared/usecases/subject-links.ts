/**
 * A tenant's subject links (the issue "Tenant exceptions", part 3): the tenant's policy of another
 * name compared with a baseline subject. One link per baseline subject (a second one replaces the
 * first); every change is audited. The links are one record per tenant, replaced only if unchanged
 * since read (a concurrent change is read again, a few times).
 */
import type { RegistryTypeKey, SubjectLink, TenantSubjectLinks } from '../domain/model.js';
import { MAX_SUBJECT_LINKS, InvalidSubjectLinkError, normalizeSubjectLink, subjectLinkIdOf } from '../domain/subject-links.js';
import { subjectKeyOf } from '../domain/subject.js';
import type { SubjectLinkRepository } from './ports/persistence.js';
import { ConcurrentUpdateError, NotVisibleError } from './ports/errors.js';
import { recordAudit, type ActorContext, type AuditDeps } from './audit-trail.js';
import { visibleTenantRecord } from './group-mappings.js';

export interface SubjectLinkDeps extends AuditDeps {
  subjectLinks: SubjectLinkRepository;
}

const MAX_ATTEMPTS = 4;

/** The tenant's links as the caller's workspace sees them (none when it has no record). */
export async function subjectLinksOf(deps: Pick<SubjectLinkDeps, 'subjectLinks'>, workspaceId: string, tenantId: string): Promise<SubjectLink[]> {
  return visibleTenantRecord(await deps.subjectLinks.get(tenantId), workspaceId, tenantId)?.links ?? [];
}

/** Reads, changes and replaces the record, again when another writer came first. */
async function change(
  deps: SubjectLinkDeps,
  ctx: ActorContext,
  tenantId: string,
  edit: (links: SubjectLink[]) => SubjectLink[] | undefined,
): Promise<{ before: SubjectLink[]; after: SubjectLink[] } | undefined> {
  for (let attempt = 1; ; attempt++) {
    const existing = visibleTenantRecord(await deps.subjectLinks.get(tenantId), ctx.workspaceId, tenantId);
    const before = existing?.links ?? [];
    const after = edit(before);
    if (after === undefined) return undefined;
    const record: TenantSubjectLinks = {
      tenantId,
      workspaceId: ctx.workspaceId,
      links: after,
      updatedAt: deps.now().toISOString(),
      updatedBy: ctx.actor,
      revision: (existing?.revision ?? 0) + 1,
    };
    try {
      await deps.subjectLinks.put(record, existing?.revision ?? null);
      return { before, after };
    } catch (err) {
      if (!(err instanceof ConcurrentUpdateError)) throw err;
      if (attempt >= MAX_ATTEMPTS) throw new ConcurrentUpdateError('subject links of tenant', tenantId, attempt);
    }
  }
}

/**
 * Creates the link (`created: true`) or replaces the one of the same baseline subject. A tenant
 * policy already linked to another baseline subject is refused: one policy stands for one subject.
 */
export async function putSubjectLink(
  deps: SubjectLinkDeps,
  ctx: ActorContext,
  tenantId: string,
  input: { policyType: RegistryTypeKey; baselineSubjectKey: string; tenantDisplayName: string },
): Promise<{ created: boolean; link: SubjectLink }> {
  const wanted = normalizeSubjectLink(input);
  const link: SubjectLink = { linkId: subjectLinkIdOf(wanted.baselineSubjectKey), ...wanted, createdAt: deps.now().toISOString(), createdBy: ctx.actor };
  const tenantKey = subjectKeyOf(wanted.policyType, wanted.tenantDisplayName);
  let replaced: SubjectLink | undefined;
  await change(deps, ctx, tenantId, (links) => {
    replaced = links.find((l) => l.linkId === link.linkId);
    const other = links.find((l) => l.linkId !== link.linkId && l.policyType === wanted.policyType && subjectKeyOf(l.policyType, l.tenantDisplayName) === tenantKey);
    if (other !== undefined) {
      throw new InvalidSubjectLinkError(
        'tenantDisplayName',
        `the tenant's '${wanted.tenantDisplayName.slice(0, 200)}' is already linked to '${other.baselineSubjectKey}' (link ${other.linkId}): delete that link first`,
      );
    }
    if (replaced === undefined && links.length >= MAX_SUBJECT_LINKS) {
      throw new InvalidSubjectLinkError('baselineSubjectKey', `the tenant has ${links.length} subject links, the most it may keep: delete links it no longer needs`);
    }
    return [...links.filter((l) => l.linkId !== link.linkId), link];
  });
  await recordAudit(deps, ctx, {
    action: replaced === undefined ? 'subject_link.created' : 'subject_link.replaced',
    tenantId,
    details: {
      linkId: link.linkId,
      policyType: link.policyType,
      baselineSubjectKey: link.baselineSubjectKey,
      tenantDisplayName: link.tenantDisplayName,
      ...(replaced !== undefined ? { previousTenantDisplayName: replaced.tenantDisplayName } : {}),
    },
  });
  return { created: replaced === undefined, link };
}

/** Deletes the link; NotVisibleError when the tenant has none of that id. */
export async function deleteSubjectLink(deps: SubjectLinkDeps, ctx: ActorContext, tenantId: string, linkId: string): Promise<void> {
  let removed: SubjectLink | undefined;
  await change(deps, ctx, tenantId, (links) => {
    removed = links.find((l) => l.linkId === linkId);
    if (removed === undefined) throw new NotVisibleError('subject link', linkId);
    return links.filter((l) => l.linkId !== linkId);
  });
  await recordAudit(deps, ctx, {
    action: 'subject_link.deleted',
    tenantId,
    details: { linkId, policyType: removed!.policyType, baselineSubjectKey: removed!.baselineSubjectKey, tenantDisplayName: removed!.tenantDisplayName },
  });
}
