/**
 * The change set as files a person applies themselves: one multi-document YAML, a `kubectl apply -f -` command, and a
 * diff of each draft against the live object it edits. Pure, so the wording is unit-tested.
 */
import type { Draft } from './store';

const DELETE_MARKER = /^\s+meshlens\.io\/draft:\s*["']?delete["']?\s*$/m;

/** The documents of a draft text (comments and blank documents dropped at the edges). */
function documents(text: string): string[] {
  return text.split(/^---[ \t]*$/m).map((d) => d.replace(/^\s*\n/, '').replace(/\s+$/, '')).filter((d) => /\S/.test(d.replace(/^\s*#.*$/gm, '')));
}

/** True when a document is a deletion marker (annotation meshlens.io/draft: delete). */
export function isDeleteDocument(doc: string): boolean {
  return DELETE_MARKER.test(doc);
}

/** `kind`, `namespace` and `name` of a document, read from its text. */
export function documentRef(doc: string): { kind: string; namespace?: string; name: string } | undefined {
  const kind = /^kind:\s*["']?([A-Za-z0-9]+)/m.exec(doc)?.[1];
  const meta = /^metadata:\s*\n((?:[ \t]+.*\n?)*)/m.exec(doc)?.[1] ?? '';
  const name = /^\s+name:\s*["']?([^"'\s#]+)/m.exec(meta)?.[1];
  const namespace = /^\s+namespace:\s*["']?([^"'\s#]+)/m.exec(meta)?.[1];
  return kind && name ? { kind, name, ...(namespace ? { namespace } : {}) } : undefined;
}

/**
 * One multi-document YAML with every draft, for `meshlens validate --with FILE` and for review. Deletions stay as
 * their marker documents (validate --with reads them); the header says how to apply them.
 */
export function changeSetYaml(drafts: Draft[], at = new Date()): string {
  const docs = drafts.flatMap((d) => documents(d.text));
  const deletes = docs.filter(isDeleteDocument);
  const header = [
    `# Meshlens change set: ${docs.length} object${docs.length === 1 ? '' : 's'}, drafted ${at.toISOString().replace(/\.\d+Z$/, 'Z')}; nothing was applied.`,
    '# Check it offline:  meshlens validate -f <your manifests> --with changes.yaml',
    deletes.length
      ? `# ${deletes.length} document${deletes.length === 1 ? '' : 's'} annotated meshlens.io/draft: delete stand${deletes.length === 1 ? 's' : ''} for a deletion: kubectl delete it, do not apply it.`
      : '# Apply it:  kubectl apply -f changes.yaml',
  ];
  return `${header.join('\n')}\n${docs.map((d) => `---\n${d}\n`).join('')}`;
}

function kubectlName(ref: { kind: string; namespace?: string; name: string }): string {
  return `${ref.kind.toLowerCase()} ${ref.namespace ? `-n ${ref.namespace} ` : ''}${ref.name}`;
}

/** A shell command that applies the drafts (`kubectl apply -f -` with a here-document), then deletes the marked ones. */
export function kubectlCommand(drafts: Draft[]): string {
  const docs = drafts.flatMap((d) => documents(d.text));
  const applied = docs.filter((d) => !isDeleteDocument(d));
  const deletes = docs.filter(isDeleteDocument).map(documentRef).filter((r) => r !== undefined);
  const parts: string[] = [];
  if (applied.length) parts.push(`kubectl apply -f - <<'MESHLENS_DRAFTS'\n${applied.join('\n---\n')}\nMESHLENS_DRAFTS`);
  for (const r of deletes) parts.push(`kubectl delete ${kubectlName(r)}`);
  return `${parts.join('\n')}\n`;
}

export type DiffLine = { op: ' ' | '-' | '+'; text: string };

/** A line diff (longest common subsequence): what to remove from `before` and add to get `after`. */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = before.replace(/\n$/, '').split('\n');
  const b = after.replace(/\n$/, '').split('\n');
  if (before === '') return b.map((text) => ({ op: '+', text }));
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: length of the common subsequence of a[i..] and b[j..]; objects are small (a few hundred lines)
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: ' ', text: a[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) out.push({ op: '-', text: a[i++]! });
    else out.push({ op: '+', text: b[j++]! });
  }
  while (i < n) out.push({ op: '-', text: a[i++]! });
  while (j < m) out.push({ op: '+', text: b[j++]! });
  return out;
}

/** A unified-style diff of every draft against its live object (a new object diffs against nothing). */
export function changeSetDiff(drafts: Draft[]): string {
  return drafts.map((d) => {
    const name = d.base ? `${d.base.ref.kind} ${d.base.ref.namespace ? `${d.base.ref.namespace}/` : ''}${d.base.ref.name}` : documentRef(d.text) ? kubectlName(documentRef(d.text)!) : 'new object';
    const lines = diffLines(d.base?.yaml ?? '', d.text);
    return `--- live: ${d.base ? name : '(new)'}\n+++ draft: ${name}\n${lines.map((l) => `${l.op}${l.text}`).join('\n')}\n`;
  }).join('');
}

/** Saves `text` as a file through the browser's download. */
export function downloadText(name: string, text: string, type = 'application/yaml'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
