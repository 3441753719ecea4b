/**
 * An editable CodeMirror 6 view of a draft's YAML: line numbers, undo, YAML highlighting in the page's theme
 * colours, and the check's diagnostics (parse errors and findings) underlined on their lines with a gutter mark.
 */
import { useEffect, useRef } from 'react';
import { minimalSetup } from 'codemirror';
import { EditorState } from '@codemirror/state';
import { EditorView, lineNumbers } from '@codemirror/view';
import { yaml as yamlLanguage } from '@codemirror/lang-yaml';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { codeFrameTheme, codeSyntaxColours } from '../components/codeTheme';

export interface LineDiagnostic {
  line: number;
  column?: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

// The shared frame (components/codeTheme.ts), filling its box, with a focus ring, lint tooltips and markers.
const theme = EditorView.theme({
  '&': { height: '100%' },
  '.cm-scroller': { overflow: 'auto' },
  '.cm-content': { caretColor: 'var(--text)' },
  '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '-1px' },
  '.cm-activeLine': { background: 'transparent' },
  '.cm-tooltip': { background: 'var(--surface)', color: 'var(--text)', border: '1px solid var(--border)' },
  '.cm-diagnostic-error': { borderLeftColor: 'var(--sev-error, #b3261e)' },
  '.cm-diagnostic-warning': { borderLeftColor: 'var(--sev-warning, #8a5a00)' },
});


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
          codeSyntaxColours,
          EditorState.tabSize.of(2),
          EditorView.contentAttributes.of({ 'aria-label': label, 'aria-multiline': 'true' }),
          EditorView.updateListener.of((u) => { if (u.docChanged) changed.current(u.state.doc.toString()); }),
          codeFrameTheme,
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
