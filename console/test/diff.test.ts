/**
 * The diff of a finding's evidence: what each kind of drifted property shows on each side, long
 * values shortened with the whole value kept, secrets shown as a labelled digest; and the table as
 * the browser receives it (rendered to HTML).
 */
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { DiffTable } from '../src/components';
import { MAX_VALUE_CHARS, diffRows, diffValue, driftedPropertiesOf, humanize, settingLabel } from '../src/diff';

const DIGEST_A = `hmac-sha256:${'a1'.repeat(32)}`;
const DIGEST_B = `hmac-sha256:${'b2'.repeat(32)}`;

describe('diff rows', () => {
  it('shows a changed value on both sides', () => {
    const [row] = diffRows([{ path: '/qualityUpdatesDeferralPeriodInDays', kind: 'changed', baseline: 7, current: 21 }]);
    expect(row).toMatchObject({
      label: 'Quality updates deferral period in days',
      kindLabel: 'Changed',
      baseline: { text: '7', absent: false, secret: false },
      current: { text: '21', absent: false, secret: false },
    });
  });

  it('shows an added property as not set in the baseline and a removed one as not set in the tenant', () => {
    const [added, removed] = diffRows([
      { path: '/passwordMinimumLength', kind: 'added', current: 14 },
      { path: '/bluetoothBlocked', kind: 'removed', baseline: true },
    ]);
    expect(added).toMatchObject({ kindLabel: 'Added', baseline: { text: 'not set', absent: true }, current: { text: '14', absent: false } });
    expect(removed).toMatchObject({ kindLabel: 'Removed', baseline: { text: 'true', absent: false }, current: { text: 'not set', absent: true } });
  });

  it('keeps null, false, 0 and the empty string apart from an absent value', () => {
    expect(diffValue(null, true).text).toBe('null');
    expect(diffValue(false, true).text).toBe('false');
    expect(diffValue(0, true).text).toBe('0');
    expect(diffValue('', true).text).toBe('""');
    expect(diffValue(undefined, false)).toEqual({ text: 'not set', absent: true, secret: false });
  });

  it('shortens a long value and keeps the whole one', () => {
    const long = 'x'.repeat(MAX_VALUE_CHARS * 3);
    const v = diffValue(long, true);
    expect(v.text).toHaveLength(MAX_VALUE_CHARS);
    expect(v.text.endsWith('…')).toBe(true);
    expect(v.full).toBe(long);
    const obj = diffValue({ rules: Array.from({ length: 40 }, (_, i) => ({ id: i, action: 'block' })) }, true);
    expect(obj.full).toBe(JSON.stringify({ rules: Array.from({ length: 40 }, (_, i) => ({ id: i, action: 'block' })) }, null, 2));
    expect(diffValue('short', true).full).toBeUndefined();
  });

  it('shows a secret by its digest, labelled as a secret, never as a plain value', () => {
    const [row] = diffRows([{ path: '/preSharedKey', kind: 'changed', baseline: DIGEST_A, current: DIGEST_B }]);
    expect(row!.baseline).toEqual({ text: `secret, digest ${'a1'.repeat(6)}…`, full: DIGEST_A, absent: false, secret: true });
    expect(row!.current.secret).toBe(true);
    expect(row!.current.text).toBe(`secret, digest ${'b2'.repeat(6)}…`);
    // A digest inside a structured value marks the value as holding a secret.
    expect(diffValue({ key: DIGEST_A, ssid: 'Corp' }, true).secret).toBe(true);
    // Something that merely starts like a digest is a value.
    expect(diffValue('hmac-sha256:not-hex', true).secret).toBe(false);
  });

  it('names settings after their last meaningful path segment', () => {
    expect(settingLabel('/settings/device_vendor_msft_policy_config_defender_allowbehaviormonitoring/settingInstance/choiceSettingValue/value')).toBe('Allowbehaviormonitoring');
    expect(settingLabel('/wifi~1ssid')).toBe('Wifi/ssid');
    expect(settingLabel('/grantControls/builtInControls/0')).toBe('Built in controls');
    expect(settingLabel('/x', { '/x': 'Known name' })).toBe('Known name');
    expect(humanize('enableBitLocker')).toBe('Enable bit locker');
    expect(humanize('minimumOSVersion')).toBe('Minimum OS version');
  });

  it('reads drifted properties from an evidence document and skips what is not one', () => {
    const props = driftedPropertiesOf({
      drifted_properties: [{ path: '/a', kind: 'changed', baseline: 1, current: 2 }, { path: 3, kind: 'changed' }, null, { path: '/b', kind: 'moved' }, { path: '/c', kind: 'added', current: 'x', dimension: 'assignments' }],
    });
    expect(props).toEqual([
      { path: '/a', kind: 'changed', baseline: 1, current: 2 },
      { path: '/c', kind: 'added', current: 'x', dimension: 'assignments' },
    ]);
    expect(driftedPropertiesOf({})).toEqual([]);
  });
});

describe('the diff table', () => {
  it('renders one row per property with the kind as text, both sides, and secrets labelled', () => {
    const rows = diffRows([
      { path: '/qualityUpdatesDeferralPeriodInDays', kind: 'changed', baseline: 7, current: 21 },
      { path: '/preSharedKey', kind: 'changed', baseline: DIGEST_A, current: DIGEST_B },
      { path: '/kioskMode', kind: 'added', current: 'x'.repeat(400) },
    ]);
    const html = renderToString(h(DiffTable, { rows, truncated: true }));
    expect(html).toContain('Drifted properties (3, the list was cut at the evidence limit)');
    expect(html.match(/<tr class="kind-/g)).toHaveLength(3);
    expect(html).toContain('<pre>7</pre>');
    expect(html).toContain('<pre>21</pre>');
    expect(html).toContain('>Secret</span>');
    expect(html).not.toContain(`<pre>${DIGEST_A}</pre>`);
    expect(html).toContain('<td class="value absent">not set</td>');
    expect(html).toContain('Show the whole current value');
    expect(html).toContain('>Added<');
  });
});
