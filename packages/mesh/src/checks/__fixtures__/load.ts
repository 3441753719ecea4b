/** Test helpers: load fixture files (of this folder or another) into an Inventory and project findings to one line each. */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Finding, InventoryObject, LoadError } from '@meshlens/model';
import { buildInventory, parseManifests, type Inventory } from '../../inventory/index.js';
import { checkInventory } from '../engine.js';

/** Builds an Inventory from files relative to this folder. */
export function inventoryOf(...files: string[]): Inventory {
  const objects: InventoryObject[] = [];
  const errors: LoadError[] = [];
  for (const f of files) {
    const text = readFileSync(fileURLToPath(new URL(`./${f}`, import.meta.url)), 'utf8');
    const parsed = parseManifests(text, { file: f.replace(/^.*\//, '') });
    objects.push(...parsed.objects);
    errors.push(...parsed.errors);
  }
  return buildInventory(objects, errors);
}

/** `CODE Kind ns/name path @line` */
export function line(f: Finding): string {
  return `${f.code} ${f.object.kind} ${f.object.namespace ?? ''}/${f.object.name} ${f.path} @${f.line ?? '?'}`;
}

/** The projected findings of fixture files. */
export function findingsOf(...files: string[]): string[] {
  return checkInventory(inventoryOf(...files)).map(line);
}

/** The demo mesh's objects (packages/demo/scenarios), loaded as @meshlens/demo's loadDemoManifests() does: in path order. */
export function demoObjects(): { objects: InventoryObject[]; errors: LoadError[] } {
  const dir = new URL('../../../../demo/scenarios/', import.meta.url);
  const names = readdirSync(fileURLToPath(dir)).filter((n) => n.endsWith('.yaml')).sort();
  const objects: InventoryObject[] = [];
  const errors: LoadError[] = [];
  for (const n of names) {
    const p = parseManifests(readFileSync(fileURLToPath(new URL(n, dir)), 'utf8'), { file: `scenarios/${n}`, source: 'demo' });
    objects.push(...p.objects);
    errors.push(...p.errors);
  }
  return { objects, errors };
}

/** The demo mesh's inventory. */
export function demoInventory(): Inventory {
  const { objects, errors } = demoObjects();
  return buildInventory(objects, errors);
}
