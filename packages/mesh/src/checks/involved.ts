/** Which findings involve an object: those of other objects whose references name it (for "involves this object"). */
import { refKey, type Finding } from '@meshlens/model';

/** Findings by each object their references name (not their own object), each list in the order of `findings`. */
export function findingsByInvolvedObject(findings: Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings) {
    const own = refKey(f.object);
    const keys = new Set<string>();
    for (const r of f.references) {
      const key = refKey(r.object);
      if (key !== own) keys.add(key);
    }
    for (const key of keys) {
      const list = out.get(key);
      if (list) list.push(f);
      else out.set(key, [f]);
    }
  }
  return out;
}
