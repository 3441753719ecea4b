/**
 * A read-only CodeMirror 6 view of an object's YAML with a marker in a gutter at each finding's line (severity
 * glyph, with the findings as its tooltip and accessible name) and the line tinted. Clicking a marker selects
 * the finding; selecting a finding scrolls its line into view.
 */
import { useEffect, useRef } from 'react';
import { EditorState, RangeSet, type Extension } from '@codemirror/state';
import { Decoration, EditorView, GutterMarker, gutter, lineNumbers, type DecorationSet } from '@codemirror/view';
import { yaml as yamlLanguage } from '@codemirror/lang-yaml';
import { SEVERITY_GLYPH, SEVERITY_LABEL } from '../../config/severity';
import { visibleText } from '../../components/untrustedText';
import { findingsByLine, markerTitle, type LineFindings, type PlacedFinding } from './markers';
import { codeFrameTheme, codeSyntaxColours } from '../../components/codeTheme';

export type { PlacedFinding } from './markers';

interface Props {
  yaml: string;
  findings: PlacedFinding[];
  /** Accessible name of the editor, e.g. "YAML of VirtualService istio-system/eg1". */
  label: string;
  /** The line to scroll to and highlight (1-based), when a finding is selected. */
  focusLine: number | null;
  onMarkerClick: (line: number) => void;
}

class FindingMarker extends GutterMarker {
  constructor(readonly entry: LineFindings) {
    super();
  }
  override eq(other: GutterMarker): boolean {
    return other instanceof FindingMarker && other.entry === this.entry;
  }
  override toDOM(): Node {
    const el = document.createElement('span');
    el.className = `cm-finding-marker severity-${this.entry.severity}`;
    el.dataset.line = String(this.entry.line);
    el.dataset.severity = this.entry.severity;
    el.dataset.codes = this.entry.findings.map((f) => f.code).join(' ');
    el.title = visibleText(markerTitle(this.entry));
    el.setAttribute('role', 'img');
    el.setAttribute('aria-label', `Line ${this.entry.line}: ${this.entry.findings.length === 1 ? '1 finding' : `${this.entry.findings.length} findings`}, worst ${SEVERITY_LABEL[this.entry.severity].toLowerCase()}. ${markerTitle(this.entry)}`);
    // textContent: the glyph is ours, but never build markup from strings here
    el.textContent = SEVERITY_GLYPH[this.entry.severity];
    return el;
  }
}

// The shared frame (components/codeTheme.ts), and the findings' gutter and line marks.
const theme = EditorView.theme({
  '.cm-findings-gutter': { minWidth: '20px' },
  '.cm-finding-line-error': { background: 'var(--error-bg)' },
  '.cm-finding-line-warning': { background: 'var(--warning-bg)' },
  '.cm-finding-line-info': { background: 'var(--info-bg)' },
  '.cm-finding-line-focus': { outline: '2px solid var(--accent)', outlineOffset: '-2px' },
});


function extensions(props: Props, entries: LineFindings[], doc: string): Extension[] {
  const state = EditorState.create({ doc });
  const markerSet = RangeSet.of(entries.map((e) => new FindingMarker(e).range(state.doc.line(e.line).from)));
  const focus = props.focusLine;
  // a focused line without a finding of its own (the field a finding of another object involves) is outlined too
  const lone = focus !== null && focus >= 1 && focus <= state.doc.lines && !entries.some((e) => e.line === focus)
    ? [Decoration.line({ class: 'cm-finding-line-focus' }).range(state.doc.line(focus).from)] : [];
  const lineDecorations: DecorationSet = Decoration.set(
    [...entries.map((e) => Decoration.line({ class: `cm-finding-line cm-finding-line-${e.severity}${e.line === focus ? ' cm-finding-line-focus' : ''}` }).range(state.doc.line(e.line).from)), ...lone]
      .sort((a, b) => a.from - b.from),
  );
  return [
    lineNumbers(),
    gutter({
      class: 'cm-findings-gutter',
      markers: () => markerSet,
      domEventHandlers: {
        mousedown: (view, block) => {
          const line = view.state.doc.lineAt(block.from).number;
          if (entries.some((e) => e.line === line)) props.onMarkerClick(line);
          return false;
        },
      },
    }),
    EditorView.decorations.of(lineDecorations),
    EditorState.readOnly.of(true),
    // Focusable even read-only: a long line scrolls the view sideways, and the keyboard must reach it.
    EditorView.contentAttributes.of({ 'aria-label': props.label, tabindex: '0' }),
    yamlLanguage(),
    codeSyntaxColours,
    codeFrameTheme,
    theme,
  ];
}

export function YamlView(props: Props) {
  const hostRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<EditorView | null>(null);
  const clickRef = useRef(props.onMarkerClick);
  clickRef.current = props.onMarkerClick;
  const { yaml, findings, label, focusLine } = props;

  useEffect(() => {
    if (!hostRef.current) return;
    const text = yaml.replace(/\n$/, '');
    const lineCount = text.split('\n').length;
    const entries = findingsByLine(findings, lineCount);
    const view = new EditorView({
      parent: hostRef.current,
      // without the final newline, which would show as an empty last line
      state: EditorState.create({ doc: text, extensions: extensions({ ...props, onMarkerClick: (l) => clickRef.current(l) }, entries, text) }),
    });
    viewRef.current = view;
    if (focusLine !== null && focusLine <= view.state.doc.lines) {
      view.dispatch({ effects: EditorView.scrollIntoView(view.state.doc.line(focusLine).from, { y: 'center' }) });
    }
    return () => {
      view.destroy();
      viewRef.current = null;
    };
    // The document, its markers and the focused line define the view; rebuilding is cheap at object size.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [yaml, findings, label, focusLine]);

  return <div ref={hostRef} className="yaml-view" data-testid="yaml-view" />;
}
