/**
 * Labels and states as the console shows them: every state has a text label (colour only adds to it),
 * dates in the reader's locale with the ISO value kept for a tooltip, and the SLA of an open finding.
 */

export const OPEN_STATUSES = ['new', 'triaged', 'in_progress', 'reopened'] as const;
export const FINDING_STATUSES = ['new', 'triaged', 'in_progress', 'reopened', 'resolved', 'closed', 'risk_accepted'] as const;
export const CHANGE_TYPES = ['missing_policy', 'unexpected_policy', 'different_version'] as const;
export const FLEET_STATES = ['aligned', 'missing_policy', 'unexpected_policy', 'different_version', 'accepted', 'gap', 'uncovered', 'not_compared'] as const;
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

const LABELS: Record<string, string> = {
  new: 'New',
  triaged: 'Triaged',
  in_progress: 'In progress',
  reopened: 'Reopened',
  resolved: 'Resolved',
  closed: 'Closed',
  risk_accepted: 'Risk accepted',
  missing_policy: 'Missing policy',
  unexpected_policy: 'Unexpected policy',
  different_version: 'Different version',
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  succeeded: 'Succeeded',
  partially_succeeded: 'Partially succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  pending: 'Pending',
  queued: 'Queued',
  running: 'Running',
  completed: 'Completed',
  inventory_sync: 'Inventory sync',
  baseline_capture: 'Baseline capture',
  baseline_compare: 'Baseline compare',
  sync_failed: 'its inventory sync failed for this type',
  not_synced: 'the inventory sync did not report this type',
  no_completed_sync: 'the tenant has no completed inventory sync',
  coverage_unreadable: 'the sync\'s coverage could not be read',
  entry_unreadable: 'the sync\'s entry for this type could not be read',
  content: 'Full content',
  meta: 'Metadata only',
  mixed: 'Mixed',
  aligned: 'Aligned',
  accepted: 'Accepted',
  gap: 'Gap',
  uncovered: 'Uncovered',
  not_compared: 'Not compared',
  drift_returned: 'the drift came back after it was resolved',
  accepted_value_changed: 'the tenant\'s value changed from the accepted one',
  acceptance_expired: 'the acceptance expired',
};

export function label(key: string | undefined | null): string {
  if (key === undefined || key === null || key === '') return '—';
  return LABELS[key] ?? key.replace(/_/g, ' ');
}

/** A tone per state, for the badge's colour (always shown with its label). */
export function tone(key: string): 'bad' | 'warn' | 'ok' | 'info' | 'muted' {
  if (['critical', 'high', 'failed', 'missing_policy', 'reopened', 'overdue'].includes(key)) return 'bad';
  if (['medium', 'partially_succeeded', 'different_version', 'new', 'due_soon', 'running', 'queued', 'pending', 'gap', 'uncovered'].includes(key)) return 'warn';
  if (['succeeded', 'resolved', 'closed', 'completed', 'on_time', 'aligned'].includes(key)) return 'ok';
  if (['risk_accepted', 'triaged', 'in_progress', 'unexpected_policy', 'low', 'accepted'].includes(key)) return 'info';
  return 'muted';
}

export function formatDateTime(iso: string | undefined | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

export type SlaState = 'overdue' | 'due_soon' | 'on_time' | 'none';
const DUE_SOON_MS = 48 * 3600 * 1000;

/** An open finding past its due date is overdue; within 48 hours of it, due soon. */
export function slaState(finding: { status: string; dueAt: string }, now: Date): SlaState {
  if (!(OPEN_STATUSES as readonly string[]).includes(finding.status)) return 'none';
  const due = Date.parse(finding.dueAt);
  if (Number.isNaN(due)) return 'none';
  if (due < now.getTime()) return 'overdue';
  return due - now.getTime() <= DUE_SOON_MS ? 'due_soon' : 'on_time';
}

export const SLA_LABELS: Record<SlaState, string> = { overdue: 'Overdue', due_soon: 'Due soon', on_time: 'On time', none: '' };

const SEVERITY_RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };
export function severityRank(s: string): number {
  return SEVERITY_RANK[s] ?? 9;
}

/** Any value of an API document as text (objects as JSON). */
export function show(v: unknown, fallback = '—'): string {
  if (v === null || v === undefined || v === '') return fallback;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}
