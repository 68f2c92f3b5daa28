/**
 * The evidence of a finding as rows of a side-by-side diff: one row per drifted property, the path
 * named after the setting where it can be, each side's value as text. Pure (no DOM), so the rules are
 * unit-tested: absent sides, long values (shortened, the whole value kept for "show all"), secrets
 * (the API only ever holds their digest, `hmac-sha256:<hex>`; they are labelled as secrets and shown
 * by a short digest, never as if they were a value).
 */

export type DriftKind = 'added' | 'removed' | 'changed';

/** A drifted property as the evidence holds it (snake_case evidence, design 2.6). */
export interface DriftedPropertyInput {
  path: string;
  kind: DriftKind;
  baseline?: unknown;
  current?: unknown;
  /** The compared dimension (settings, assignments, ...) when the evidence names it. */
  dimension?: string;
}

export interface DiffValue {
  /** What is shown in the cell. */
  text: string;
  /** The whole value when `text` is shortened. */
  full?: string;
  /** The side does not have the property (added: baseline; removed: current). */
  absent: boolean;
  /** The value is, or holds, a secret's digest. */
  secret: boolean;
}

export interface DiffRow {
  path: string;
  /** The setting's name as a person reads it. */
  label: string;
  kind: DriftKind;
  /** Text of the kind (shown beside its colour). */
  kindLabel: string;
  dimension: string;
  baseline: DiffValue;
  current: DiffValue;
}

export const SECRET_DIGEST = /^hmac-sha256:([0-9a-f]{64})$/;
const SECRET_DIGEST_ANYWHERE = /hmac-sha256:[0-9a-f]{64}/;
/** Longest value shown whole in a cell. */
export const MAX_VALUE_CHARS = 160;

const KIND_LABELS: Record<DriftKind, string> = { added: 'Added', removed: 'Removed', changed: 'Changed' };

/** Path segments that say how a value is stored, not what it is. */
const STRUCTURAL_SEGMENTS = new Set([
  'value',
  'values',
  'settingInstance',
  'settingValue',
  'simpleSettingValue',
  'choiceSettingValue',
  'groupSettingCollectionValue',
  'simpleSettingCollectionValue',
  'children',
  'settings',
  'content',
]);

/** `qualityUpdatesDeferralPeriodInDays` -> `Quality updates deferral period in days`. */
export function humanize(segment: string): string {
  const vendor = /^(device|user)_vendor_msft_(.+)$/.exec(segment);
  const base = vendor ? vendor[2]!.split('_').slice(-1)[0]! : segment;
  const words = base
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  if (words.length === 0) return segment;
  return words.map((w, i) => (i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : /^[A-Z0-9]{2,}$/.test(w) ? w : w.toLowerCase())).join(' ');
}

/** JSON pointer segments, unescaped (`~1` is `/`, `~0` is `~`). */
export function pointerSegments(path: string): string[] {
  return path
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The setting's name for a path: its last meaningful segment, humanized. */
export function settingLabel(path: string, names: Record<string, string> = {}): string {
  const known = names[path];
  if (known !== undefined) return known;
  const segments = pointerSegments(path).filter((s) => s !== '' && !/^\d+$/.test(s) && !STRUCTURAL_SEGMENTS.has(s));
  const last = segments[segments.length - 1];
  return last === undefined ? path || '(whole policy)' : humanize(last);
}

function shorten(text: string): { text: string; full?: string } {
  if (text.length <= MAX_VALUE_CHARS) return { text };
  return { text: `${text.slice(0, MAX_VALUE_CHARS - 1)}…`, full: text };
}

/** One side's value as shown. */
export function diffValue(value: unknown, present: boolean): DiffValue {
  if (!present) return { text: 'not set', absent: true, secret: false };
  if (typeof value === 'string') {
    const digest = SECRET_DIGEST.exec(value);
    if (digest) return { text: `secret, digest ${digest[1]!.slice(0, 12)}…`, full: value, absent: false, secret: true };
    return { ...shorten(value === '' ? '""' : value), absent: false, secret: false };
  }
  if (value === undefined) return { text: 'not set', absent: true, secret: false };
  const json = typeof value === 'object' && value !== null ? JSON.stringify(value, null, 2) : JSON.stringify(value);
  return { ...shorten(json), absent: false, secret: SECRET_DIGEST_ANYWHERE.test(json) };
}

/** The rows of the diff, in the evidence's order. */
export function diffRows(properties: readonly DriftedPropertyInput[], names: Record<string, string> = {}): DiffRow[] {
  return properties.map((p) => ({
    path: p.path,
    label: settingLabel(p.path, names),
    kind: p.kind,
    kindLabel: KIND_LABELS[p.kind],
    dimension: p.dimension ?? 'settings',
    baseline: diffValue(p.baseline, p.kind !== 'added' && 'baseline' in p),
    current: diffValue(p.current, p.kind !== 'removed' && 'current' in p),
  }));
}

/** Reads the drifted properties of an evidence document, ignoring what does not have their shape. */
export function driftedPropertiesOf(evidence: Record<string, unknown>): DriftedPropertyInput[] {
  const list = evidence.drifted_properties;
  if (!Array.isArray(list)) return [];
  return list.flatMap((p: unknown): DriftedPropertyInput[] => {
    if (typeof p !== 'object' || p === null) return [];
    const o = p as Record<string, unknown>;
    if (typeof o.path !== 'string' || (o.kind !== 'added' && o.kind !== 'removed' && o.kind !== 'changed')) return [];
    return [
      {
        path: o.path,
        kind: o.kind,
        ...('baseline' in o ? { baseline: o.baseline } : {}),
        ...('current' in o ? { current: o.current } : {}),
        ...(typeof o.dimension === 'string' ? { dimension: o.dimension } : {}),
      },
    ];
  });
}
