/**
 * An editable CodeMirror 6 view of a draft's YAML: line numbers, undo, YAML highlighting in the page's theme
 * colours, and the check's diagnostics (parse errors and findings) underlined on their lines with a gutter mark.
 */
import { useEffect, useRef } from 'react';
import { minimalSetup } from 'codemirror';
import { EditorState } from '@codemirror/state';
import { EditorView, lineNumbers } from '@codemirror/view';
import { defaultHighlightStyle, HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { yaml as yamlLanguage } from '@codemirror/lang-yaml';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';

export interface LineDiagnostic {
  line: number;
  column?: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

const theme = EditorView.theme({
  '&': { fontSize: '13px', border: '1px solid var(--border)', borderRadius: '4px', background: 'var(--surface)', color: 'var(--text)', height: '100%' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', lineHeight: '1.5', overflow: 'auto' },
  '.cm-gutters': { background: 'var(--surface-2)', color: 'var(--muted)', borderRight: '1px solid var(--border)' },
  '.cm-content': { caretColor: 'var(--text)' },
  '.cm-cursor': { borderLeftColor: 'var(--text)' },
  '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '-1px' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground': { background: 'var(--accent-soft)' },
  '.cm-activeLine': { background: 'transparent' },
  '.cm-tooltip': { background: 'var(--surface)', color: 'var(--text)', border: '1px solid var(--border)' },
  '.cm-diagnostic-error': { borderLeftColor: 'var(--sev-error, #b3261e)' },
  '.cm-diagnostic-warning': { borderLeftColor: 'var(--sev-warning, #8a5a00)' },
});

// CodeMirror's colours behind the page's CSS variables (styles.css), as the read-only YamlView does.
const CODE_COLOR: Record<string, string> = {
  '#404740': 'meta', '#708': 'keyword', '#219': 'atom', '#164': 'literal', '#a11': 'string', '#e40': 'special', '#00f': 'definition',
  '#30a': 'local', '#085': 'type', '#167': 'class', '#256': 'macro', '#00c': 'key', '#940': 'comment', '#f00': 'invalid',
};
const codeHighlight = HighlightStyle.define(
  defaultHighlightStyle.specs.map((spec) => {
    const name = typeof spec.color === 'string' ? CODE_COLOR[spec.color] : undefined;
    return name ? { ...spec, color: `var(--code-${name}, ${spec.color as string})` } : spec;
  }),
);

function toDiagnostics(state: EditorState, items: LineDiagnostic[]): Diagnostic[] {
  return items.filter((d) => d.line >= 1 && d.line <= state.doc.lines).map((d) => {
    const line = state.doc.line(d.line);
    const from = Math.min(line.to, line.from + Math.max(0, (d.column ?? 1) - 1));
    return { from, to: line.to > from ? line.to : from, severity: d.severity, message: d.message };
  });
}

interface Props {
  /** The text the editor starts with; later changes come from the person. */
  initial: string;
  label: string;
  diagnostics: LineDiagnostic[];
  onChange: (text: string) => void;
}

export function CodeEditor({ initial, label, diagnostics, onChange }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    if (!host.current) return;
    const v = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: initial,
        extensions: [
          lineNumbers(),
          lintGutter(),
          minimalSetup,
          yamlLanguage(),
          syntaxHighlighting(codeHighlight),
          EditorState.tabSize.of(2),
          EditorView.contentAttributes.of({ 'aria-label': label, 'aria-multiline': 'true' }),
          EditorView.updateListener.of((u) => { if (u.docChanged) changed.current(u.state.doc.toString()); }),
          theme,
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // the editor owns its text after the first render
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const v = view.current;
    if (v) v.dispatch(setDiagnostics(v.state, toDiagnostics(v.state, diagnostics)));
  }, [diagnostics]);

  return <div ref={host} className="draft-code" data-testid="draft-editor" />;
}
