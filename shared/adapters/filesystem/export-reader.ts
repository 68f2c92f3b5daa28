/**
 * One entry point for every export layout the product reads as a baseline or current side: a Graph
 * export (one subfolder per Graph collection: what `drift sync` writes), an IntuneCD backup or an
 * IntuneManagement export. The format is named (`--format-in`) or detected from the top-level
 * folders; a folder that matches no layout is read as a Graph export, whose loader names the
 * unknown folders and the known collections.
 */
import { readdir, stat } from 'node:fs/promises';
import { GRAPH_COLLECTION_KEYS } from '../../domain/graph-collections.js';
import { loadGraphExportReport, objectsOrFirstRejection, type GraphExportReport, type LoadedGraphObject } from './graph-export.js';
import { detectToolFormat, loadToolExportReport, TOOL_EXPORT_FORMATS } from './tool-exports.js';

export const EXPORT_FORMATS = ['graph', ...TOOL_EXPORT_FORMATS] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportReport extends GraphExportReport {
  format: ExportFormat;
  /** Tool folders of kinds the product does not compare (never read). */
  notRead: string[];
}

export function isExportFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}

/** The format of an export folder: Graph when a top-level folder is a Graph collection, else the tool whose folders match. */
export async function detectExportFormat(dir: string): Promise<ExportFormat> {
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) return 'graph';
  const top = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  if (top.some((name) => (GRAPH_COLLECTION_KEYS as readonly string[]).includes(name))) return 'graph';
  return (await detectToolFormat(dir)) ?? 'graph';
}

/** Loads an export of the given (or detected) format, setting aside the files that cannot be used. */
export async function loadExportReport(dir: string, format: ExportFormat | 'auto' = 'auto'): Promise<ExportReport> {
  const resolved = format === 'auto' ? await detectExportFormat(dir) : format;
  if (resolved === 'graph') return { ...(await loadGraphExportReport(dir)), format: 'graph', notRead: [] };
  return { ...(await loadToolExportReport(dir, resolved)), format: resolved };
}

/**
 * Loads an export of the given (or detected) format. Throws the first unusable file's error (its
 * message names the file and, when there are more, the other rejected files).
 */
export async function loadExport(dir: string, format: ExportFormat | 'auto' = 'auto'): Promise<LoadedGraphObject[]> {
  return objectsOrFirstRejection(await loadExportReport(dir, format));
}
