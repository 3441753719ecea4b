/** Loads deploy/kubernetes/*.yaml as objects, with the file each came from. */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const DEPLOY_DIR = fileURLToPath(new URL('../', import.meta.url));
export const MANIFEST_DIR = join(DEPLOY_DIR, 'kubernetes');
export const CHART_DIR = join(DEPLOY_DIR, 'helm', 'meshlens');
export const REPO_ROOT = join(DEPLOY_DIR, '..');

export interface KubeManifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

export interface LoadedManifest {
  file: string;
  object: KubeManifest;
}

/** Every document of every YAML file; a YAML error throws with the file and line. */
export function loadManifests(dir = MANIFEST_DIR): LoadedManifest[] {
  const out: LoadedManifest[] = [];
  for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    for (const doc of parseAllDocuments(readFileSync(join(dir, file), 'utf8'), { prettyErrors: true })) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}`);
      const object = doc.toJS() as KubeManifest | null;
      if (object) out.push({ file, object });
    }
  }
  return out;
}

/** `Kind namespace/name`, the key manifests are compared by. */
export const keyOf = (o: KubeManifest): string => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
