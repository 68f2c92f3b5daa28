/**
 * hash: normalize + canonical JSON + SHA-256 (what every subject costs at ingest and capture) against
 * plain `JSON.stringify` + SHA-256 of the same objects, at about 1.5 KB, 8 KB and 50 KB, on generated
 * policies of every family and, when present, on the real exports.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../../shared/domain/canonical.js';
import { isGraphCollectionKey } from '../../shared/domain/graph-collections.js';
import { classifyGraphObject } from '../../shared/domain/classification.js';
import { createSecretDigester } from '../../shared/domain/secrets.js';
import { buildSubject } from '../../shared/domain/subject.js';
import type { RegistryTypeKey } from '../../shared/domain/model.js';
import { FAMILIES, PIPELINE_FAMILIES, generateType } from './generate.js';
import { interleaved, round } from './measure.js';

export interface HashRow {
  label: string;
  /** Average size of the Graph JSON of one object, bytes. */
  bytes: number;
  objects: number;
  objectsPerSec: number;
  mbPerSec: number;
  plainObjectsPerSec: number;
  plainMbPerSec: number;
  /** ours / plain (objects per second). */
  ratio: number;
}

export interface HashReport {
  sizes: HashRow[];
  /** Per family at 8 KB (where the ratio is weakest). */
  families8k: HashRow[];
  corpus?: HashRow;
  /** ours / plain at 8 KB: the goal is >= 0.70. */
  ratio: number;
}

const digester = createSecretDigester(Buffer.alloc(32, 7));

function measure(label: string, objects: { type: RegistryTypeKey; obj: Record<string, unknown> }[], rounds: number): HashRow {
  const bytes = objects.reduce((n, o) => n + Buffer.byteLength(JSON.stringify(o.obj)), 0);
  let sink = 0;
  const t = interleaved(
    {
      ours: () => {
        for (const o of objects) sink += buildSubject(o.type, o.obj, digester).metaHash.length;
      },
      plain: () => {
        for (const o of objects) sink += sha256Hex(JSON.stringify(o.obj)).length;
      },
    },
    rounds,
  );
  if (sink === 0) throw new Error('unreachable');
  const per = (ms: number) => (objects.length / ms) * 1000;
  const mb = (ms: number) => (bytes / 1_048_576 / ms) * 1000;
  return {
    label,
    bytes: Math.round(bytes / objects.length),
    objects: objects.length,
    objectsPerSec: Math.round(per(t.ours!)),
    mbPerSec: round(mb(t.ours!), 1),
    plainObjectsPerSec: Math.round(per(t.plain!)),
    plainMbPerSec: round(mb(t.plain!), 1),
    ratio: round(t.plain! / t.ours!, 3),
  };
}

function generated(bytes: number, perFamily: number, families = PIPELINE_FAMILIES) {
  return families.flatMap((f, i) => generateType(f, perFamily, bytes, 1000 + i).map((obj) => ({ type: FAMILIES[f], obj })));
}

function corpusObjects(dir: string): { type: RegistryTypeKey; obj: Record<string, unknown> }[] {
  const out: { type: RegistryTypeKey; obj: Record<string, unknown> }[] = [];
  for (const folder of readdirSync(dir)) {
    const path = join(dir, folder);
    if (!statSync(path).isDirectory() || !isGraphCollectionKey(folder)) continue;
    for (const file of readdirSync(path).filter((f) => f.endsWith('.json'))) {
      try {
        const obj = JSON.parse(readFileSync(join(path, file), 'utf8')) as unknown;
        if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) continue;
        const type = classifyGraphObject(folder, obj as Record<string, unknown>);
        buildSubject(type, obj as Record<string, unknown>, digester);
        out.push({ type, obj: obj as Record<string, unknown> });
      } catch {
        // files that are not one Graph object (the corpus README lists them) are left out
      }
    }
  }
  return out;
}

export function measureHash(options: { quick?: boolean; corpusDir?: string }): HashReport {
  const rounds = options.quick ? 5 : 21;
  const per = options.quick ? 4 : 20;
  const sizes = [
    measure('1.5 KB', generated(1_500, per * 4), rounds),
    measure('8 KB', generated(8_000, per), rounds),
    measure('50 KB', generated(50_000, Math.max(1, Math.floor(per / 5))), rounds),
  ];
  // As many objects per family as in the mixed 8 KB set, so each round is long enough to time.
  const families8k = PIPELINE_FAMILIES.map((f) => measure(f, generated(8_000, per * PIPELINE_FAMILIES.length, [f]), options.quick ? 3 : 7));
  const report: HashReport = { sizes, families8k, ratio: sizes[1]!.ratio };
  if (options.corpusDir !== undefined) {
    const objects = corpusObjects(options.corpusDir);
    if (objects.length > 0) report.corpus = measure('corpus', objects, options.quick ? 3 : 11);
  }
  return report;
}
