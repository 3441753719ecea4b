/** Parses YAML keeping the line/column of every field path, so validation errors can point at a line. */
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import type { LoadError } from '@meshlens/model';

export interface PositionedYaml {
  value: unknown;
  /** `classes[2].request.port` → where it is written. */
  positions: Map<string, { line: number; column: number }>;
  errors: LoadError[];
}

/** Parses one YAML document; syntax errors come back as LoadErrors with their line. */
export function parseWithPositions(text: string, file: string): PositionedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const positions = new Map<string, { line: number; column: number }>();
  const pos = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  if (doc.errors.length > 0) {
    return {
      value: undefined,
      positions,
      errors: doc.errors.map((e) => {
        const lp = e.linePos?.[0];
        const at = lp ? { line: lp.line, column: lp.col } : pos(e.pos[0]);
        return { file, line: at.line, column: at.column, message: `invalid YAML: ${e.message.split('\n')[0]}` };
      }),
    };
  }
  const root = doc.contents as YamlNode | null;
  if (root?.range) positions.set('', pos(root.range[0]));
  collect(root, '', positions, pos);
  return { value: doc.toJS({ maxAliasCount: 100 }) as unknown, positions, errors: [] };
}

function collect(node: YamlNode | null | undefined, path: string, out: PositionedYaml['positions'], pos: (o: number) => { line: number; column: number }): void {
  if (!node) return;
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const child = path === '' ? key : `${path}.${key}`;
      const keyNode = pair.key as YamlNode;
      if (keyNode.range) out.set(child, pos(keyNode.range[0]));
      collect(pair.value as YamlNode | null, child, out, pos);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      const child = `${path}[${i}]`;
      const n = item as YamlNode | null;
      if (n?.range) out.set(child, pos(n.range[0]));
      collect(n, child, out, pos);
    });
  }
}

/** The position of `path`, or of its nearest written ancestor. */
export function positionAt(positions: PositionedYaml['positions'], path: string): { line: number; column: number } {
  let p = path;
  for (;;) {
    const hit = positions.get(p);
    if (hit) return hit;
    if (p === '') return { line: 1, column: 1 };
    const m = /^(.*)(\.[^.[\]]+|\[\d+\])$/.exec(p);
    p = m ? m[1]! : '';
  }
}
