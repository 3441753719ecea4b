/** Files and documents that could not be loaded become findings (MLS0000), so a broken file never passes silently. */
import type { Finding } from '@meshlens/model';
import type { Inventory } from '../inventory/types.js';

/** One MLS0000 error per load error of the inventory. */
export function loadErrorFindings(inv: Inventory): Finding[] {
  return inv.errors.map((e) => {
    const m = e.object ? /^(\S+) (?:(\S+)\/)?(\S+)$/.exec(e.object) : null;
    const f: Finding = {
      code: 'MLS0000',
      // a duplicate definition still loads (one copy is used): worth a warning, not a failure
      severity: /^duplicate object/.test(e.message) ? 'warning' : 'error',
      message: e.message,
      object: m ? { kind: m[1]!, ...(m[2] ? { namespace: m[2] } : {}), name: m[3]! } : { kind: 'File', name: e.file ?? 'input' },
      path: '',
      references: [],
      fix: /^duplicate object/.test(e.message)
        ? 'Keep one declaration of this object: delete or rename the other copies, or order the files by name (00-…, 10-…) so that the copy you mean sorts last.'
        : 'Fix the YAML at this line (indentation, quoting, duplicate keys) or remove the document; the other documents were still checked.',
    };
    if (e.file !== undefined) f.file = e.file;
    if (e.line !== undefined) f.line = e.line;
    if (e.column !== undefined) f.column = e.column;
    return f;
  });
}
