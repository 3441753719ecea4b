/**
 * A fast reader for the YAML that kubectl, Helm and people write for Kubernetes: block mappings and sequences,
 * plain, quoted and literal (`|`) scalars, one-line flow collections, comments and `---` documents. It builds the
 * values in one pass over the text, about ten times faster than the `yaml` library, which matters for cluster dumps
 * of thousands of objects; an object's field positions are read again from its own text when they are asked for.
 * Anything else (anchors, tags, folded or multi-line scalars, multi-line flow collections, tabs in indentation,
 * duplicate keys, CRLF line ends, very deep nesting, anything that would be an error) makes it give up on the whole
 * text and return undefined: the caller then parses with the `yaml` library, which is the reference. Where it
 * answers, values and positions are those the `yaml` library gives (fast-yaml.test.ts compares both on every
 * manifest of the repository).
 */
import { Document, isScalar } from 'yaml';
import type { FieldPositions } from '@meshlens/model';

type Position = { line: number; column: number };

/** One `---` document: its root mapping (undefined when empty), where it starts, and which part of the text holds it. */
export interface FastDocument {
  value: Record<string, unknown> | undefined;
  start: Position | undefined;
  /** The root mapping's text is [from, to) (offsets), its first line is line `line` (0-based) of the file. */
  from: number;
  to: number;
  line: number;
  /**
   * When the root has a block sequence `items` (a `kind: List`): where each item starts and its text, for
   * fastPositions with the column of its `-` (the item's positions are relative to the item).
   */
  items?: FastItem[];
}

export interface FastItem {
  start: Position;
  from: number;
  to: number;
  line: number;
  indent: number;
}

/** Thrown inside the reader when the text is outside what it reads; caught in fastParseDocuments. */
class GiveUp extends Error {}
const GIVE_UP = new GiveUp();

function giveUp(): never {
  throw GIVE_UP;
}

/** The core-schema scalar tags of the `yaml` library (null, bool, int, float), tried in its order on plain scalars. */
const PLAIN_TAGS = new Document().schema.tags.filter((t) => t.default === true && t.test instanceof RegExp) as Array<{
  test: RegExp;
  resolve: (s: string, onError: (m: string) => void, options: { intAsBigInt: boolean }) => unknown;
}>;
const RESOLVE_OPTIONS = { intAsBigInt: false };
const noError = () => giveUp();

/** A table of the characters of `chars`, for one look-up per character. */
function charTable(chars: string): Uint8Array {
  const table = new Uint8Array(128);
  for (const c of chars) table[c.charCodeAt(0)] = 1;
  return table;
}

/** First characters a non-string plain scalar can start with (null, bool, numbers): anything else is a string. */
const MAYBE_TYPED = charTable('0123456789+-.~nNtTfF');
const WORD_START = charTable('nNtTfF');

function resolvePlain(s: string): unknown {
  const c = s.charCodeAt(0);
  // `null`, `true`, `false` and their capitalised forms are the only typed words, none longer than 5
  if (c >= 128 || MAYBE_TYPED[c] === 0 || (WORD_START[c] === 1 && s.length > 5)) return s;
  for (const tag of PLAIN_TAGS) {
    if (tag.test.test(s)) {
      const r = tag.resolve(s, noError, RESOLVE_OPTIONS);
      return isScalar(r) ? r.value : r;
    }
  }
  return s;
}

const SIMPLE_KEY = /^[A-Za-z_][\w-]*$/;
const simpleKeys = new Map<string, boolean>();

/** The path of `key` under `path`, written as parse.ts writes it (`a.b`, `a["b.c"]`). */
function childPath(path: string, key: string): string {
  if (path === '') return key;
  let simple = simpleKeys.get(key);
  if (simple === undefined) {
    simple = SIMPLE_KEY.test(key);
    if (simpleKeys.size < 10_000) simpleKeys.set(key, simple);
  }
  return simple ? `${path}.${key}` : `${path}["${key}"]`;
}

const SPACE = 32;
const TAB = 9;
const HASH = 35;
const COLON = 58;
const DASH = 45;

/**
 * The text of [a, b) of `t`, the same string each time for keys and short values already seen: a cluster dump says
 * `name`, `TCP` or `IfNotPresent` a million times, and a new string for each is most of what the reader allocates.
 * A small table indexed by a hash of the length and three characters; a collision just makes a new string.
 */
class Strings {
  private readonly table: Array<string | undefined> | undefined;

  /** `shared`: false for a reader of one object's positions, which is not worth a table. */
  constructor(private readonly t: string, shared: boolean) {
    this.table = shared ? new Array<string | undefined>(8192).fill(undefined) : undefined;
  }

  get(a: number, b: number): string {
    const t = this.t;
    const len = b - a;
    if (len > 16 || len <= 0 || this.table === undefined) return t.slice(a, b);
    const h = (Math.imul(Math.imul(Math.imul(len, 31) + t.charCodeAt(a), 31) + t.charCodeAt(b - 1), 31) + t.charCodeAt(a + (len >> 1))) & 8191;
    const known = this.table[h];
    if (known !== undefined && known.length === len && t.startsWith(known, a)) return known;
    const fresh = t.slice(a, b);
    this.table[h] = fresh;
    return fresh;
  }
}

/**
 * Deeper nesting is left to the `yaml` library, which decides (it runs out of stack near 1,000 levels and reports
 * an error); Kubernetes objects, CustomResourceDefinition schemas included, stay far below.
 */
const MAX_DEPTH = 100;

/** Characters that cannot start a plain scalar in block context (`-`, `?` and `:` are checked with what follows). */
const NOT_PLAIN_START = charTable(',[]{}#&*!|>\'"%@`');

function notPlainStart(c: number): boolean {
  return c < 128 && NOT_PLAIN_START[c] === 1;
}

class Reader {
  /** Current line (index into starts/ends). */
  li = 0;
  private readonly n: number;
  /** Offsets of each line's first character and of its end (its `\n`, or the end of the range). */
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly track: boolean;
  scope: FieldPositions = {};
  private rootItems = false;
  private depth = 0;
  private readonly strings: Strings;

  /**
   * Reads the lines of `t` in [from, to). Values only, or (with `firstLine`, the 0-based file line of the first one)
   * values and positions, which cost a path string and an entry per field: read on demand, one object at a time.
   */
  constructor(private readonly t: string, from: number, private readonly to: number, private readonly firstLine?: number) {
    let n = 1;
    for (let k = t.indexOf('\n', from); k >= 0 && k < to; k = t.indexOf('\n', k + 1)) n++;
    this.n = n;
    this.starts = new Int32Array(n);
    this.ends = new Int32Array(n);
    let a = from;
    for (let i = 0; i < n; i++) {
      const nl = i === n - 1 ? -1 : t.indexOf('\n', a);
      const e = nl < 0 || nl >= to ? to : nl;
      this.starts[i] = a;
      this.ends[i] = e;
      a = e + 1;
    }
    this.track = firstLine !== undefined;
    this.strings = new Strings(t, !this.track);
  }

  /** Where the current line starts (the offset where the next document or item begins). */
  offset(): number {
    return this.li < this.n ? this.starts[this.li]! : this.to;
  }

  documents(): FastDocument[] {
    const docs: FastDocument[] = [];
    this.skipTrivia(Infinity);
    if (this.li >= this.n) return docs;
    let explicit = this.isDocStart(this.li);
    for (;;) {
      if (explicit) {
        this.li++;
        this.skipTrivia(Infinity);
      }
      docs.push(this.document());
      if (this.li >= this.n) return docs;
      if (!this.isDocStart(this.li)) giveUp(); // `...` or something at the root the reader did not take
      explicit = true;
    }
  }

  private document(): FastDocument {
    const line = this.li;
    const from = this.offset();
    if (this.li >= this.n || this.isDocStart(this.li)) return { value: undefined, start: undefined, from, to: from, line };
    const t = this.t;
    const first = t.charCodeAt(from);
    if (first === SPACE || first === TAB || first === 37 /* % */ || t.startsWith('...', from)) giveUp();
    if (this.seqItemAt(from)) giveUp(); // a sequence at the root is no Kubernetes object: let the reference say so
    const items: FastItem[] = [];
    const value = this.mapping(0, from, '', items);
    return { value, start: { line: line + 1, column: 1 }, from, to: this.offset(), line, ...(this.rootItems ? { items } : {}) };
  }

  /** True when line `i` is a `---` document marker (anything written after it but a comment: give up). */
  private isDocStart(i: number): boolean {
    const t = this.t;
    const a = this.starts[i]!;
    const e = this.ends[i]!;
    if (e - a < 3 || !t.startsWith('---', a)) return false;
    if (e - a === 3) return true;
    const c = t.charCodeAt(a + 3);
    if (c !== SPACE && c !== TAB) return false;
    const rest = t.slice(a + 4, e).trimStart();
    if (rest !== '' && rest[0] !== '#') giveUp();
    return true;
  }

  private indentOf(i: number): number {
    const a = this.starts[i]!;
    const e = this.ends[i]!;
    let k = a;
    while (k < e && this.t.charCodeAt(k) === SPACE) k++;
    return k - a;
  }

  /** Moves to the next line with content; a comment line indented deeper than `maxIndent` gives up. */
  private skipTrivia(maxIndent: number): void {
    while (this.li < this.n) {
      const a = this.starts[this.li]!;
      const ind = this.indentOf(this.li);
      if (a + ind < this.ends[this.li]!) {
        const c = this.t.charCodeAt(a + ind);
        if (c === TAB) giveUp();
        if (c !== HASH) return;
        if (ind > maxIndent) giveUp();
      }
      this.li++;
    }
  }

  /** The indentation of the current line, or -1 at the end of the document. */
  private currentIndent(): number {
    if (this.li >= this.n) return -1;
    const t = this.t;
    const a = this.starts[this.li]!;
    if (t.startsWith('---', a) || t.startsWith('...', a)) {
      const e = this.ends[this.li]!;
      if (e - a === 3 || t.charCodeAt(a + 3) === SPACE || t.charCodeAt(a + 3) === TAB) return -1;
      giveUp(); // `---x` at the start of a line: leave it to the reference
    }
    return this.indentOf(this.li);
  }

  /** True when a sequence item (`- ` or a lone `-`) starts at offset `o` of the current line. */
  private seqItemAt(o: number): boolean {
    if (this.t.charCodeAt(o) !== DASH) return false;
    return o + 1 === this.ends[this.li] || this.t.charCodeAt(o + 1) === SPACE;
  }

  private record(path: string, line: number, col: number): void {
    if (this.track) this.scope[path] = { line: line + this.firstLine! + 1, column: col + 1 };
  }

  private path(path: string, key: string): string {
    return this.track ? childPath(path, key) : '';
  }

  /**
   * A block mapping whose entries start at column `indent`; the first one at offset `at` of the current line
   * (after `- ` when the mapping is a sequence item). `items` only for the root mapping: its `items` sequence is
   * read item by item.
   */
  mapping(indent: number, at: number, path: string, items?: FastItem[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (items) this.rootItems = false;
    if (++this.depth > MAX_DEPTH) giveUp();
    for (;;) {
      const key = this.key(at, this.ends[this.li]!);
      if (key === undefined) giveUp();
      if (Object.prototype.hasOwnProperty.call(out, key) || key === '__proto__') giveUp();
      const p = this.path(path, key);
      this.record(p, this.li, at - this.starts[this.li]!);
      out[key] = this.value(this.keyEnd, indent, p, items && key === 'items' ? items : undefined);
      const ind = this.currentIndent();
      if (ind < indent) {
        this.depth--;
        return out;
      }
      if (ind > indent) giveUp();
      at = this.starts[this.li]! + indent;
      if (this.seqItemAt(at)) giveUp();
    }
  }

  /** Where the value of the last key read by key() starts. */
  private keyEnd = 0;

  /**
   * The key of a mapping entry at offset `at` (the line ends at `e`), or undefined when the text there is not a
   * key this reader takes; its value starts at keyEnd.
   */
  private key(at: number, e: number): string | undefined {
    const t = this.t;
    const c = t.charCodeAt(at);
    if (c === 34 || c === 39) {
      const q = quoted(t, at, e);
      if (q === undefined || q.end >= e || t.charCodeAt(q.end) !== COLON) return undefined;
      const after = q.end + 1;
      if (after < e && t.charCodeAt(after) !== SPACE) return undefined;
      this.keyEnd = after;
      return q.value;
    }
    if (at >= e || notPlainStart(c) || ((c === DASH || c === 63 || c === COLON) && (at + 1 >= e || t.charCodeAt(at + 1) === SPACE))) return undefined;
    for (let k = at + 1; k < e; k++) {
      const ch = t.charCodeAt(k);
      if (ch === COLON) {
        if (k + 1 === e || t.charCodeAt(k + 1) === SPACE) {
          const prev = t.charCodeAt(k - 1);
          if (prev === SPACE || prev === TAB || k - at > 1000) return undefined;
          const name = this.strings.get(at, k);
          // port numbers as keys (portLevelMtls) read as the number's text; other typed keys go to the reference
          const typed = resolvePlain(name);
          if (typed !== name && !(typeof typed === 'number' && String(typed) === name)) return undefined;
          this.keyEnd = k + 1;
          return name;
        }
        if (t.charCodeAt(k + 1) === TAB) return undefined;
      } else if (ch === HASH && (t.charCodeAt(k - 1) === SPACE || t.charCodeAt(k - 1) === TAB)) {
        return undefined;
      }
    }
    return undefined;
  }

  /**
   * The value of an entry whose key ends at offset `from` of the current line, in a mapping at `indent`. Leaves
   * the reader on the next line with content.
   */
  private value(from: number, indent: number, path: string, items?: FastItem[]): unknown {
    const t = this.t;
    const e = this.ends[this.li]!;
    let vc = from;
    while (vc < e && t.charCodeAt(vc) === SPACE) vc++;
    if (vc < e && t.charCodeAt(vc) === TAB) giveUp();
    if (vc === e || (vc > from && t.charCodeAt(vc) === HASH)) return this.nested(indent, path, items);
    if (vc === from) giveUp(); // a key is taken only when its `:` is followed by a space
    return this.inline(vc, e, indent, path);
  }

  /** The block under a key with nothing after its colon: a deeper mapping or sequence, a sequence at the key's indent, or null. */
  private nested(indent: number, path: string, items?: FastItem[]): unknown {
    this.li++;
    this.skipTrivia(Infinity);
    const ind = this.currentIndent();
    if (ind < 0) return null;
    const at = this.starts[this.li]! + ind;
    if (ind > indent) return this.seqItemAt(at) ? this.sequence(ind, path, items) : this.mapping(ind, at, path);
    if (ind === indent && this.seqItemAt(at)) return this.sequence(ind, path, items);
    return null;
  }

  /**
   * A block sequence whose `-` are at column `indent`. With `items` (the root's `items`), each item's text is
   * noted; with `scopes`, positions are recorded relative to each item, in a scope of its own.
   */
  sequence(indent: number, path: string, items?: FastItem[], scopes?: FieldPositions[]): unknown[] {
    const out: unknown[] = [];
    const t = this.t;
    if (items) this.rootItems = true;
    if (++this.depth > MAX_DEPTH) giveUp();
    for (;;) {
      const line = this.li;
      const from = this.starts[line]!;
      const e = this.ends[line]!;
      const itemPath = this.track ? `${path}[${out.length}]` : '';
      const outer = this.scope;
      const base = scopes ? '' : itemPath;
      let vc = from + indent + 1;
      while (vc < e && t.charCodeAt(vc) === SPACE) vc++;
      if (vc < e && t.charCodeAt(vc) === TAB) giveUp();
      let value: unknown;
      let start: Position | undefined;
      if (vc === e) {
        // `-` alone: the item is the block below it
        this.li++;
        this.skipTrivia(Infinity);
        const ind = this.currentIndent();
        if (ind <= indent) giveUp(); // a null item
        const at = this.starts[this.li]! + ind;
        this.record(itemPath, this.li, ind);
        if (items) start = { line: this.li + 1, column: ind + 1 };
        if (scopes) scopes.push((this.scope = {}));
        value = this.seqItemAt(at) ? this.sequence(ind, base) : this.mapping(ind, at, base);
      } else {
        if (t.charCodeAt(vc) === HASH || this.seqItemAt(vc)) giveUp();
        this.record(itemPath, line, vc - from);
        if (items) start = { line: line + 1, column: vc - from + 1 };
        if (scopes) scopes.push((this.scope = {}));
        value = this.key(vc, e) !== undefined ? this.mapping(vc - from, vc, base) : this.inline(vc, e, indent, base);
      }
      this.scope = outer;
      if (items) items.push({ start: start!, from, to: this.offset(), line, indent });
      out.push(value);
      const ind = this.currentIndent();
      if (ind > indent) giveUp();
      if (ind < indent || !this.seqItemAt(this.starts[this.li]! + indent)) {
        this.depth--;
        return out;
      }
    }
  }

  /**
   * A value written on the current line at offset `vc` (after `key: ` or `- `), the line ending at `e`: a literal
   * block scalar, a one-line flow collection, a quoted or a plain scalar. `indent` is the indentation of the entry
   * holding it. Leaves the reader on the next line with content, which may not be indented deeper than `indent`
   * (a continuation: give up).
   */
  private inline(vc: number, e: number, indent: number, path: string): unknown {
    const t = this.t;
    const c = t.charCodeAt(vc);
    let value: unknown;
    if (c === 124 /* | */) return this.literal(vc, e, indent);
    if (c === 91 /* [ */ || c === 123 /* { */) {
      const a = this.starts[this.li]!;
      const flow = new FlowReader(t, e, this.track, (p, k) => this.record(p, this.li, k - a));
      value = flow.collection(vc, path);
      flow.end();
    } else if (c === 34 || c === 39) {
      const q = quoted(t, vc, e, this.strings);
      if (q === undefined) giveUp();
      afterScalar(t, q.end, e);
      value = q.value;
    } else {
      if (notPlainStart(c) || ((c === DASH || c === 63 || c === COLON) && (vc + 1 >= e || t.charCodeAt(vc + 1) === SPACE))) giveUp();
      let end = e;
      for (let k = vc + 1; k < e; k++) {
        const ch = t.charCodeAt(k);
        if (ch === HASH) {
          const prev = t.charCodeAt(k - 1);
          if (prev === SPACE || prev === TAB) {
            end = k;
            break;
          }
        } else if (ch === COLON && (k + 1 === e || t.charCodeAt(k + 1) === SPACE || t.charCodeAt(k + 1) === TAB)) {
          giveUp(); // `a: b: c`, an error the reference reports
        }
      }
      while (end > vc && (t.charCodeAt(end - 1) === SPACE || t.charCodeAt(end - 1) === TAB)) end--;
      value = resolvePlain(this.strings.get(vc, end));
    }
    this.li++;
    this.skipTrivia(indent);
    if (this.currentIndent() > indent) giveUp();
    return value;
  }

  /** True when line `i` holds only spaces (a tab there: give up). */
  private isBlank(i: number): boolean {
    const e = this.ends[i]!;
    for (let k = this.starts[i]!; k < e; k++) {
      const c = this.t.charCodeAt(k);
      if (c !== SPACE) {
        if (c === TAB) giveUp();
        return false;
      }
    }
    return true;
  }

  /** A `|` or `|-` block scalar whose header is at offset `vc` (the line ends at `e`), inside an entry at `indent`. */
  private literal(vc: number, e: number, indent: number): string {
    const t = this.t;
    let h = vc + 1;
    let keepLast = true;
    if (h < e && t.charCodeAt(h) === DASH) {
      keepLast = false;
      h++;
    }
    const rest = t.slice(h, e);
    const trimmed = rest.trimStart();
    if (trimmed !== '' && (trimmed[0] !== '#' || rest === trimmed)) giveUp(); // `|+`, `|2`, or no space before a comment
    let k = this.li + 1;
    let leading = 0;
    while (k < this.n && this.isBlank(k)) {
      leading++;
      k++;
    }
    if (k >= this.n) giveUp();
    const blockIndent = this.indentOf(k);
    const a = this.starts[k]!;
    if (blockIndent <= indent || t.charCodeAt(a + blockIndent) === TAB || t.startsWith('---', a) || t.startsWith('...', a)) giveUp();
    for (let j = this.li + 1; j < k; j++) if (this.ends[j]! - this.starts[j]! > blockIndent) giveUp();
    const content: string[] = [];
    for (let j = 0; j < leading; j++) content.push('');
    let trailing = 0;
    for (; k < this.n; k++) {
      if (this.isBlank(k)) {
        if (this.ends[k]! - this.starts[k]! > blockIndent) giveUp();
        trailing++;
        continue;
      }
      if (this.indentOf(k) < blockIndent) break;
      for (; trailing > 0; trailing--) content.push('');
      content.push(t.slice(this.starts[k]! + blockIndent, this.ends[k]));
    }
    this.li = k;
    this.skipTrivia(indent);
    if (this.currentIndent() > indent) giveUp();
    const text = content.join('\n');
    return keepLast ? `${text}\n` : text;
  }
}

/** One-line flow collections: `[a, "b"]`, `{a: 1, b: [c]}`. Offsets are into the whole text; the line ends at `e`. */
class FlowReader {
  constructor(
    private readonly t: string,
    private readonly e: number,
    private readonly track: boolean,
    private readonly record: (path: string, at: number) => void,
  ) {}

  private k = 0;
  private depth = 0;

  collection(at: number, path: string): unknown {
    this.k = at;
    return this.node(path);
  }

  /** After the collection: only spaces and a comment. */
  end(): void {
    afterScalar(this.t, this.k, this.e);
  }

  private spaces(): void {
    while (this.k < this.e && this.t.charCodeAt(this.k) === SPACE) this.k++;
    if (this.k >= this.e) giveUp(); // the collection goes on on the next line
    if (this.t.charCodeAt(this.k) === TAB) giveUp();
  }

  private node(path: string): unknown {
    const t = this.t;
    const c = t.charCodeAt(this.k);
    if ((c === 91 || c === 123) && ++this.depth > MAX_DEPTH) giveUp();
    if (c === 91) {
      this.k++;
      const out: unknown[] = [];
      this.spaces();
      if (t.charCodeAt(this.k) === 93) {
        this.k++;
        this.depth--;
        return out;
      }
      for (;;) {
        const p = this.track ? `${path}[${out.length}]` : '';
        this.record(p, this.k);
        out.push(this.node(p));
        this.spaces();
        const ch = t.charCodeAt(this.k);
        this.k++;
        if (ch === 93) {
          this.depth--;
          return out;
        }
        if (ch !== 44) giveUp();
        this.spaces();
        if (t.charCodeAt(this.k) === 93 || t.charCodeAt(this.k) === 44) giveUp();
      }
    }
    if (c === 123) {
      this.k++;
      const out: Record<string, unknown> = {};
      this.spaces();
      if (t.charCodeAt(this.k) === 125) {
        this.k++;
        this.depth--;
        return out;
      }
      for (;;) {
        const keyAt = this.k;
        const kc = t.charCodeAt(keyAt);
        let name: string;
        if (kc === 34 || kc === 39) {
          const q = quoted(t, keyAt, this.e);
          if (q === undefined) giveUp();
          name = q.value;
          this.k = q.end;
          if (t.charCodeAt(this.k) !== COLON) giveUp();
          this.k++;
        } else {
          const plain = this.plain();
          if (t.charCodeAt(this.k) !== COLON || this.k + 1 >= this.e || t.charCodeAt(this.k + 1) !== SPACE) giveUp();
          if (resolvePlain(plain) !== plain) giveUp();
          name = plain;
          this.k++;
        }
        if (Object.prototype.hasOwnProperty.call(out, name) || name === '__proto__') giveUp();
        const p = this.track ? childPath(path, name) : '';
        this.record(p, keyAt);
        this.spaces();
        const vc = t.charCodeAt(this.k);
        if (vc === 44 || vc === 125) giveUp(); // a key without a value
        out[name] = this.node(p);
        this.spaces();
        const ch = t.charCodeAt(this.k);
        this.k++;
        if (ch === 125) {
          this.depth--;
          return out;
        }
        if (ch !== 44) giveUp();
        this.spaces();
        if (t.charCodeAt(this.k) === 125 || t.charCodeAt(this.k) === 44) giveUp();
      }
    }
    if (c === 34 || c === 39) {
      const q = quoted(t, this.k, this.e);
      if (q === undefined) giveUp();
      this.k = q.end;
      return q.value;
    }
    const plain = this.plain();
    if (t.charCodeAt(this.k) === COLON) giveUp(); // a pair inside a flow sequence
    return resolvePlain(plain);
  }

  /** A plain scalar in flow context, ending before `,`, `]`, `}`, `: ` or a comment. */
  private plain(): string {
    const t = this.t;
    const e = this.e;
    const start = this.k;
    const c = t.charCodeAt(start);
    if (notPlainStart(c) || ((c === DASH || c === 63 || c === COLON) && (start + 1 >= e || t.charCodeAt(start + 1) === SPACE))) giveUp();
    let k = start;
    for (; k < e; k++) {
      const ch = t.charCodeAt(k);
      if (ch === 44 || ch === 91 || ch === 93 || ch === 123 || ch === 125) break;
      if (ch === COLON && (k + 1 === e || t.charCodeAt(k + 1) === SPACE || t.charCodeAt(k + 1) === 44)) break;
      if (ch === HASH && t.charCodeAt(k - 1) === SPACE) giveUp();
      if (ch === TAB) giveUp();
    }
    if (k >= e) giveUp();
    let end = k;
    while (end > start && t.charCodeAt(end - 1) === SPACE) end--;
    if (end === start) giveUp();
    this.k = k;
    return t.slice(start, end);
  }
}

/** After a quoted scalar or a flow collection ending at `k` (the line ends at `e`): only spaces, then a comment or the end. */
function afterScalar(t: string, k: number, e: number): void {
  if (k === e) return;
  const c = t.charCodeAt(k);
  if (c !== SPACE && c !== TAB) giveUp();
  while (k < e && (t.charCodeAt(k) === SPACE || t.charCodeAt(k) === TAB)) k++;
  if (k < e && t.charCodeAt(k) !== HASH) giveUp();
}

/** JSON's escapes, which YAML double-quoted scalars share; the others (\x, \e, \N…) go to the reference. */
const JSON_ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/g;

/** A quoted scalar starting at `at` and closing before the line's end `e`: its value and the offset after the closing quote. */
function quoted(t: string, at: number, e: number, strings?: Strings): { value: string; end: number } | undefined {
  if (t.charCodeAt(at) === 39) {
    let k = at + 1;
    let escaped = false;
    for (;;) {
      const close = t.indexOf("'", k);
      if (close < 0 || close >= e) return undefined;
      if (close + 1 < e && t.charCodeAt(close + 1) === 39) {
        escaped = true;
        k = close + 2;
        continue;
      }
      const raw = t.slice(at + 1, close);
      return { value: escaped ? raw.replaceAll("''", "'") : raw, end: close + 1 };
    }
  }
  let escapes = false;
  for (let k = at + 1; k < e; k++) {
    const ch = t.charCodeAt(k);
    if (ch === 92) {
      escapes = true;
      k++;
    } else if (ch === 34) {
      if (!escapes) return { value: strings ? strings.get(at + 1, k) : t.slice(at + 1, k), end: k + 1 };
      const raw = t.slice(at + 1, k);
      if (raw.replace(JSON_ESCAPE, '').includes('\\')) return undefined;
      try {
        return { value: JSON.parse(`"${raw}"`) as string, end: k + 1 };
      } catch {
        return undefined; // a raw control character next to escapes: the reference knows
      }
    }
  }
  return undefined;
}

/**
 * The documents of `text` with their values, or undefined when the text uses YAML this reader leaves to the
 * `yaml` library.
 */
export function fastParseDocuments(text: string): FastDocument[] | undefined {
  if (text.includes('\r') || text.charCodeAt(0) === 0xfeff) return undefined;
  try {
    return new Reader(text, 0, text.length).documents();
  } catch (e) {
    if (e === GIVE_UP || e instanceof RangeError) return undefined; // RangeError: out of stack, whatever the depth limit
    throw e;
  }
}

/**
 * The field positions of one object that fastParseDocuments read, from its text `text.slice(from, to)` whose first
 * line is line `line` (0-based) of the file: a document's root mapping, or with `itemIndent` one item of a List,
 * whose `-` is at that column (paths are then relative to the item).
 */
export function fastPositions(text: string, from: number, to: number, line: number, itemIndent?: number): FieldPositions {
  const reader = new Reader(text, from, to, line);
  try {
    if (itemIndent !== undefined) {
      const scopes: FieldPositions[] = [];
      reader.sequence(itemIndent, '', undefined, scopes);
      return scopes[0] ?? {};
    }
    // a document that is not a List: any root `items` sequence is recorded under `items[i]` like any other field
    reader.mapping(0, from, '');
    return reader.scope;
  } catch (e) {
    if (e === GIVE_UP || e instanceof RangeError) return {}; // cannot happen: this text was read once already
    throw e;
  }
}
