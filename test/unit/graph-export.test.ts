import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MalformedGraphObjectError, UnknownGraphCollectionError, UnreadableGraphExportError } from '../../shared/domain/errors.js';
import { extractGraphObjects, parseGraphObjects } from '../../shared/domain/graph-objects.js';
import { loadGraphExport, loadGraphExportReport } from '../../shared/adapters/filesystem/graph-export.js';
import { FIXTURE_TYPES, badExportDir, fixtureExportDir } from '../fixtures/graph/fixtures.js';

function errorOf(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('Graph objects out of a file', () => {
  it('accepts one object, an array of objects, or a Graph page', () => {
    expect(extractGraphObjects({ displayName: 'A' }, 'a.json')).toEqual([{ displayName: 'A' }]);
    expect(extractGraphObjects([{ displayName: 'A' }, { name: 'B' }], 'a.json')).toEqual([{ displayName: 'A' }, { name: 'B' }]);
    expect(extractGraphObjects({ '@odata.context': 'x', value: [{ displayName: 'A' }] }, 'a.json')).toEqual([{ displayName: 'A' }]);
    expect(extractGraphObjects({ value: [] }, 'a.json')).toEqual([]);
    expect(extractGraphObjects([], 'a.json')).toEqual([]);
  });

  it('takes a named object with a `value` property for an object, not a page', () => {
    expect(extractGraphObjects({ displayName: 'OMA', value: [1, 2] }, 'a.json')).toEqual([{ displayName: 'OMA', value: [1, 2] }]);
  });

  it('parses text with or without a UTF-8 BOM', () => {
    expect(parseGraphObjects('\uFEFF{"displayName":"A"}', 'a.json')).toEqual([{ displayName: 'A' }]);
    expect(parseGraphObjects('{"displayName":"A"}\n', 'a.json')).toEqual([{ displayName: 'A' }]);
  });

  it('rejects a double-encoded file, saying what to do', () => {
    const error = errorOf(() => parseGraphObjects(JSON.stringify(JSON.stringify({ displayName: 'A' })), 'intents/x_Settings.json'));
    expect(error).toBeInstanceOf(MalformedGraphObjectError);
    expect(error.message).toContain('intents/x_Settings.json');
    expect(error.message).toContain('holds a JSON string, not a Graph object');
    expect(error.message).toContain('re-export it without double encoding');
    expect(error).toMatchObject({ code: 'malformed_graph_object', source: 'intents/x_Settings.json' });
  });

  it('rejects numbers, booleans, null, arrays with non-objects and objects without a name', () => {
    expect(errorOf(() => extractGraphObjects(42, 'n.json')).message).toMatch(/^n\.json holds a JSON number, not a Graph object: export the policy object itself/);
    expect(errorOf(() => extractGraphObjects(true, 'b.json')).message).toContain('holds a JSON boolean');
    expect(errorOf(() => extractGraphObjects(null, 'z.json')).message).toContain('holds JSON null');
    expect(errorOf(() => extractGraphObjects([{ displayName: 'A' }, 7], 'a.json')).message).toContain('a.json, item 1 of its array, is a JSON number, not a Graph object');
    expect(errorOf(() => extractGraphObjects([{ displayName: 'A' }, '{}'], 'a.json')).message).toContain('item 1 of its array, is a JSON string');
    expect(errorOf(() => extractGraphObjects({ value: [{ id: 'x' }] }, 'p.json')).message).toContain('p.json, item 0 of its "value" page, is an object with neither "displayName" nor "name"');
    const fragment = errorOf(() => extractGraphObjects({ settings: [], secret: 'Plain-Secret-123' }, 'f.json'));
    expect(fragment.message).toContain('export the policy itself');
    expect(fragment.message).not.toContain('Plain-Secret-123');
  });

  it('rejects invalid and empty JSON, naming the file', () => {
    expect(errorOf(() => parseGraphObjects('{"displayName": "A", ', 'broken.json')).message).toMatch(/^broken\.json is not valid JSON \(.+\): fix or re-export the file/);
    expect(errorOf(() => parseGraphObjects('\uFEFF  \n', 'empty.json')).message).toBe('empty.json is empty: export the policy object from Graph again');
  });
});

describe('loading an export directory', () => {
  it('loads every fixture, classified, in sorted order (collections, then files, then file order)', async () => {
    const loaded = await loadGraphExport(fixtureExportDir);
    expect(loaded.map((item) => [item.collection, item.file, item.policyType])).toEqual(
      FIXTURE_TYPES.map((f) => [f.collection, join(fixtureExportDir, f.collection, f.file), f.type]),
    );
    expect(loaded.find((item) => item.collection === 'roleScopeTags')?.object['displayName']).toBe('Contoso Helpdesk');
  });

  it('ignores files at the top of the export (the fixture has a README)', async () => {
    const report = await loadGraphExportReport(fixtureExportDir);
    expect(report.rejected).toEqual([]);
    expect(report.objects.some((item) => item.file.endsWith('README.md'))).toBe(false);
  });

  it('rejects unknown subfolders, naming them and the known collections', async () => {
    const error = await rejectionOf(loadGraphExport(badExportDir('unknown-folder')));
    expect(error).toBeInstanceOf(UnknownGraphCollectionError);
    expect(error.message).toContain('unknown Graph collections "customPolicies", "dashboards"');
    expect(error.message).toContain('known collections are configurationPolicies, deviceConfigurations');
    expect(error).toMatchObject({ collections: ['customPolicies', 'dashboards'] });
  });

  it('rejects a double-encoded file with an error naming it', async () => {
    const error = await rejectionOf(loadGraphExport(badExportDir('double-encoded')));
    expect(error).toBeInstanceOf(MalformedGraphObjectError);
    expect(error.message).toContain(join(badExportDir('double-encoded'), 'intents', 'account-protection_Settings.json'));
    expect(error.message).toContain('re-export it without double encoding');
  });

  it('rejects invalid JSON and nameless objects with errors naming the file', async () => {
    const invalid = await rejectionOf(loadGraphExport(badExportDir('invalid-json')));
    expect(invalid.message).toContain(`${join(badExportDir('invalid-json'), 'deviceConfigurations', 'truncated.json')} is not valid JSON`);
    const nameless = await rejectionOf(loadGraphExport(badExportDir('no-name')));
    expect(nameless.message).toContain(`${join(badExportDir('no-name'), 'deviceConfigurations', 'fragment.json')} is an object with neither`);
  });

  it('reports bad files beside the good ones, and throws the first naming the others', async () => {
    const dir = badExportDir('mixed');
    const report = await loadGraphExportReport(dir);
    expect(report.objects.map((item) => item.object['displayName'])).toEqual(['Good one', 'Another good one']);
    expect(report.rejected.map((r) => [r.file, r.error.name])).toEqual([
      [join(dir, 'deviceConfigurations', 'b-number.json'), 'MalformedGraphObjectError'],
      [join(dir, 'deviceConfigurations', 'c-string.json'), 'MalformedGraphObjectError'],
    ]);
    const error = await rejectionOf(loadGraphExport(dir));
    expect(error.message).toContain('b-number.json holds a JSON number');
    expect(error.message).toContain(`1 more file rejected: ${join(dir, 'deviceConfigurations', 'c-string.json')}`);
  });

  it('says so when the directory does not exist', async () => {
    const missing = join(fixtureExportDir, 'no-such-folder');
    const error = await rejectionOf(loadGraphExport(missing));
    expect(error).toBeInstanceOf(UnreadableGraphExportError);
    expect(error.message).toContain(`${missing} is not a directory`);
  });
});
