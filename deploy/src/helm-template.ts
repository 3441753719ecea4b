/**
 * A small evaluator of the Go-template subset the Meshlens chart uses, so the chart is render-checked where no
 * `helm` binary can be installed (neither Debian nor npm ship one). Supported: text with `{{-`/`-}}` trimming,
 * comments, `define`/`include`, `if`/`else if`/`else`/`end`, pipelines, `.Values…`/`.Release…`/`.Chart…` fields,
 * string and number literals, and the functions toYaml, nindent, indent, quote, default, eq, ne, gt, int, not, and,
 * or, b64enc, randBytes, dig and lookup (answered by RenderOptions.lookup; empty, as in `helm template`, without it).
 * Anything else throws, naming the file and the action, so a chart edit beyond the subset fails the test instead
 * of rendering something Helm would not.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';

type Node =
  | { type: 'text'; text: string }
  | { type: 'output'; pipeline: Token[] }
  | { type: 'if'; branches: Array<{ cond: Token[] | null; body: Node[] }> };

type Token = { t: 'str'; v: string } | { t: 'num'; v: number } | { t: 'field'; v: string[] } | { t: 'ident'; v: string } | { t: 'pipe' } | { t: 'lparen' } | { t: 'rparen' };

export class TemplateError extends Error {
  override name = 'TemplateError';
}

interface Action {
  text: string;
  trimLeft: boolean;
  trimRight: boolean;
}

/** Splits a template into text and actions, applying the trim markers. */
function lex(source: string, file: string): Array<string | Action> {
  const out: Array<string | Action> = [];
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('{{', i);
    if (open < 0) {
      out.push(source.slice(i));
      break;
    }
    out.push(source.slice(i, open));
    const close = source.indexOf('}}', open);
    if (close < 0) throw new TemplateError(`${file}: unclosed {{`);
    let inner = source.slice(open + 2, close);
    const trimLeft = inner.startsWith('- ');
    const trimRight = inner.endsWith(' -');
    if (trimLeft) inner = inner.slice(2);
    if (trimRight) inner = inner.slice(0, -2);
    out.push({ text: inner.trim(), trimLeft, trimRight });
    i = close + 2;
  }
  // Trim markers eat all whitespace (newlines included) on their side.
  for (let k = 0; k < out.length; k++) {
    const a = out[k];
    if (typeof a === 'string') continue;
    if (a!.trimLeft && typeof out[k - 1] === 'string') out[k - 1] = (out[k - 1] as string).replace(/\s+$/, '');
    if (a!.trimRight && typeof out[k + 1] === 'string') out[k + 1] = (out[k + 1] as string).replace(/^\s+/, '');
  }
  return out;
}

function tokenize(text: string, where: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:("(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?)|(\$?(?:\.[A-Za-z_][\w]*)+|\.)|([A-Za-z_]\w*)|(\|)|(\()|(\)))/y;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    m = re.exec(text);
    if (!m || m[0].length === 0) {
      if (/^\s*$/.test(text.slice(pos))) break;
      throw new TemplateError(`${where}: cannot read "${text.slice(pos)}"`);
    }
    if (m[1] !== undefined) tokens.push({ t: 'str', v: JSON.parse(m[1]) as string });
    else if (m[2] !== undefined) tokens.push({ t: 'num', v: Number(m[2]) });
    else if (m[3] !== undefined) tokens.push({ t: 'field', v: m[3] === '.' ? [] : m[3].replace(/^\$/, '').split('.').slice(1) });
    else if (m[4] !== undefined) tokens.push({ t: 'ident', v: m[4] });
    else if (m[5]) tokens.push({ t: 'pipe' });
    else if (m[6]) tokens.push({ t: 'lparen' });
    else tokens.push({ t: 'rparen' });
    pos = re.lastIndex;
  }
  return tokens;
}

export interface Parsed {
  nodes: Node[];
  defines: Map<string, Node[]>;
}

/** Parses one template file; `define` blocks go to `defines`. */
export function parseTemplate(source: string, file: string): Parsed {
  const defines = new Map<string, Node[]>();
  const root: Node[] = [];
  type Frame = { kind: 'root' | 'define' | 'if'; body: Node[]; node?: Extract<Node, { type: 'if' }>; name?: string };
  const stack: Frame[] = [{ kind: 'root', body: root }];
  const top = () => stack[stack.length - 1]!;
  for (const piece of lex(source, file)) {
    if (typeof piece === 'string') {
      if (piece) top().body.push({ type: 'text', text: piece });
      continue;
    }
    const where = `${file}: {{ ${piece.text} }}`;
    const text = piece.text;
    if (text.startsWith('/*')) {
      if (!text.endsWith('*/')) throw new TemplateError(`${where}: unclosed comment`);
      continue;
    }
    const [word] = text.split(/\s+/, 1);
    const rest = text.slice(word!.length).trim();
    if (word === 'define') {
      const name = /^"([^"]+)"$/.exec(rest)?.[1];
      if (!name) throw new TemplateError(`${where}: define needs a quoted name`);
      stack.push({ kind: 'define', body: [], name });
    } else if (word === 'if') {
      const node: Extract<Node, { type: 'if' }> = { type: 'if', branches: [{ cond: tokenize(rest, where), body: [] }] };
      top().body.push(node);
      stack.push({ kind: 'if', body: node.branches[0]!.body, node });
    } else if (word === 'else') {
      const f = top();
      if (f.kind !== 'if') throw new TemplateError(`${where}: else outside if`);
      const branch = { cond: rest.startsWith('if ') ? tokenize(rest.slice(3), where) : null, body: [] as Node[] };
      if (rest && !rest.startsWith('if ')) throw new TemplateError(`${where}: unsupported else form`);
      f.node!.branches.push(branch);
      f.body = branch.body;
    } else if (word === 'end') {
      const f = stack.pop();
      if (!f || f.kind === 'root') throw new TemplateError(`${where}: end without a block`);
      if (f.kind === 'define') defines.set(f.name!, f.body);
    } else if (['range', 'with', 'template', 'block', 'tpl'].includes(word!) || text.includes(':=') || /(^|\s)\$\w/.test(text)) {
      throw new TemplateError(`${where}: "${word}" and variables are outside the subset this render-check evaluates`);
    } else {
      top().body.push({ type: 'output', pipeline: tokenize(text, where) });
    }
  }
  if (stack.length !== 1) throw new TemplateError(`${file}: ${stack.length - 1} block(s) not closed with {{ end }}`);
  return { nodes: root, defines };
}

const truthy = (v: unknown): boolean =>
  !(v === undefined || v === null || v === false || v === 0 || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0));

const toText = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

const indentLines = (n: number, s: string) => s.split('\n').map((l) => (l ? ' '.repeat(n) + l : l)).join('\n');

/** What `lookup` finds in the cluster: the object, or undefined (Helm then returns an empty map). */
export type Lookup = (apiVersion: string, kind: string, namespace: string, name: string) => Record<string, unknown> | undefined;

export class Renderer {
  constructor(private readonly defines: Map<string, Node[]>, private readonly file: string, private readonly lookup: Lookup = () => undefined) {}

  render(nodes: Node[], dot: unknown): string {
    let out = '';
    for (const n of nodes) {
      if (n.type === 'text') out += n.text;
      else if (n.type === 'output') out += toText(this.pipeline(n.pipeline, dot));
      else {
        const branch = n.branches.find((b) => b.cond === null || truthy(this.pipeline(b.cond, dot)));
        if (branch) out += this.render(branch.body, dot);
      }
    }
    return out;
  }

  private pipeline(tokens: Token[], dot: unknown): unknown {
    const commands: Token[][] = [[]];
    let depth = 0;
    for (const t of tokens) {
      if (t.t === 'lparen') depth++;
      if (t.t === 'rparen') depth--;
      if (t.t === 'pipe' && depth === 0) commands.push([]);
      else commands[commands.length - 1]!.push(t);
    }
    let value: unknown;
    commands.forEach((cmd, i) => {
      value = this.command(cmd, dot, i === 0 ? [] : [value]);
    });
    return value;
  }

  private operands(tokens: Token[], dot: unknown): unknown[] {
    const values: unknown[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.t === 'lparen') {
        let depth = 1;
        let j = i + 1;
        for (; j < tokens.length && depth > 0; j++) {
          if (tokens[j]!.t === 'lparen') depth++;
          if (tokens[j]!.t === 'rparen') depth--;
        }
        values.push(this.pipeline(tokens.slice(i + 1, j - 1), dot));
        i = j - 1;
      } else if (t.t === 'str' || t.t === 'num') values.push(t.v);
      else if (t.t === 'field') values.push(t.v.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), dot));
      else if (t.t === 'ident' && (t.v === 'true' || t.v === 'false')) values.push(t.v === 'true');
      else throw new TemplateError(`${this.file}: unexpected ${t.t} in arguments`);
    }
    return values;
  }

  private command(tokens: Token[], dot: unknown, piped: unknown[]): unknown {
    const head = tokens[0];
    if (!head) throw new TemplateError(`${this.file}: empty command in a pipeline`);
    if (head.t !== 'ident' || head.v === 'true' || head.v === 'false') {
      if (piped.length > 0) throw new TemplateError(`${this.file}: a value cannot take piped input`);
      const values = this.operands(tokens, dot);
      if (values.length !== 1) throw new TemplateError(`${this.file}: ${values.length} values where one was expected`);
      return values[0];
    }
    const args = [...this.operands(tokens.slice(1), dot), ...piped];
    const need = (n: number) => {
      if (args.length !== n) throw new TemplateError(`${this.file}: ${head.v} takes ${n} argument(s), got ${args.length}`);
    };
    switch (head.v) {
      case 'include': {
        need(2);
        const body = this.defines.get(String(args[0]));
        if (!body) throw new TemplateError(`${this.file}: include of undefined template "${String(args[0])}"`);
        return this.render(body, args[1]);
      }
      case 'toYaml':
        need(1);
        // Helm's toYaml (sigs.k8s.io/yaml) sorts keys and has no trailing newline.
        return args[0] === undefined || args[0] === null ? 'null' : stringify(args[0], { sortMapEntries: true, lineWidth: 0 }).replace(/\n$/, '');
      case 'nindent':
        need(2);
        return `\n${indentLines(Number(args[0]), toText(args[1]))}`;
      case 'indent':
        need(2);
        return indentLines(Number(args[0]), toText(args[1]));
      case 'quote':
        need(1);
        return JSON.stringify(toText(args[0]));
      case 'default':
        need(2);
        return truthy(args[1]) ? args[1] : args[0];
      case 'eq':
        need(2);
        return args[0] === args[1];
      case 'ne':
        need(2);
        return args[0] !== args[1];
      case 'gt':
        need(2);
        if (typeof args[0] !== 'number' || typeof args[1] !== 'number') throw new TemplateError(`${this.file}: gt compares numbers, got ${typeof args[0]} and ${typeof args[1]}`);
        return args[0] > args[1];
      case 'int':
        need(1);
        return Math.trunc(Number(args[0]) || 0);
      case 'not':
        need(1);
        return !truthy(args[0]);
      case 'b64enc':
        need(1);
        return Buffer.from(toText(args[0])).toString('base64');
      case 'randBytes':
        // Sprig: N cryptographically random bytes, as base64.
        need(1);
        return randomBytes(Number(args[0])).toString('base64');
      case 'dig': {
        // Sprig: dig "k1" "k2" default dict.
        if (args.length < 3) throw new TemplateError(`${this.file}: dig takes keys, a default and a map`);
        let v: unknown = args[args.length - 1];
        for (const k of args.slice(0, -2)) v = isObject(v) ? v[String(k)] : undefined;
        return v === undefined ? args[args.length - 2] : v;
      }
      case 'lookup':
        need(4);
        return this.lookup(...(args.map(String) as [string, string, string, string])) ?? {};
      case 'and':
        return args.every(truthy) ? args[args.length - 1] : args.find((a) => !truthy(a));
      case 'or':
        return args.find(truthy) ?? args[args.length - 1];
      default:
        throw new TemplateError(`${this.file}: function "${head.v}" is outside the subset this render-check evaluates`);
    }
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Helm's values merge: maps merge key by key, anything else replaces. */
export function mergeValues(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = mergeValues(base[k], v);
  return out;
}

export interface RenderOptions {
  releaseName: string;
  namespace: string;
  values?: Record<string, unknown>;
  /** The cluster `lookup` reads (an upgrade); without it, nothing is found (an install, or `helm template`). */
  lookup?: Lookup;
}

/** Renders every template of the chart, like `helm template NAME CHART -n NAMESPACE --set …`: file → text. */
export function renderChart(chartDir: string, options: RenderOptions): Map<string, string> {
  const chart = parseYaml(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8')) as { name: string; version: string; appVersion: string };
  const values = mergeValues(parseYaml(readFileSync(join(chartDir, 'values.yaml'), 'utf8')), options.values ?? {});
  const dot = {
    Values: values,
    Release: { Name: options.releaseName, Namespace: options.namespace, Service: 'Helm', IsInstall: true },
    Chart: { Name: chart.name, Version: chart.version, AppVersion: chart.appVersion },
  };
  const dir = join(chartDir, 'templates');
  const files = readdirSync(dir).filter((f) => /\.(ya?ml|tpl)$/.test(f)).sort();
  const parsed = new Map(files.map((f) => [f, parseTemplate(readFileSync(join(dir, f), 'utf8'), `templates/${f}`)]));
  const defines = new Map<string, Node[]>();
  for (const p of parsed.values()) for (const [k, v] of p.defines) defines.set(k, v);
  const out = new Map<string, string>();
  for (const [f, p] of parsed) {
    if (f.startsWith('_')) continue;
    out.set(f, new Renderer(defines, `templates/${f}`, options.lookup).render(p.nodes, dot));
  }
  return out;
}

/** The Kubernetes objects of rendered manifests (documents split on `---`, empty ones dropped). */
export function objectsOf(texts: Iterable<string>): Array<Record<string, unknown>> {
  const objects: Array<Record<string, unknown>> = [];
  for (const text of texts) {
    for (const doc of text.split(/^---\s*$/m)) {
      const o = parseYaml(doc) as unknown;
      if (o !== null && o !== undefined) objects.push(o as Record<string, unknown>);
    }
  }
  return objects;
}
