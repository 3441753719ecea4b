/**
 * What the two CodeMirror views (the draft editor, drafts/CodeEditor.tsx, and the read-only YAML of an object's page,
 * pages/config/YamlView.tsx) share: the frame, gutter and selection in the page's CSS variables (styles.css), so they
 * follow the light or dark theme without a rebuild, and the syntax colours.
 */
import { EditorView } from '@codemirror/view';
import { defaultHighlightStyle, HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import type { Extension } from '@codemirror/state';

export const codeFrameTheme = EditorView.theme({
  '&': { fontSize: '13px', border: '1px solid var(--border)', borderRadius: '4px', background: 'var(--surface)', color: 'var(--text)' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', lineHeight: '1.5' },
  // contrast ≥ 4.5:1 for the line numbers (CodeMirror's default grey is too light for axe)
  '.cm-gutters': { background: 'var(--surface-2)', color: 'var(--muted)', borderRight: '1px solid var(--border)' },
  '.cm-cursor': { borderLeftColor: 'var(--text)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground': { background: 'var(--accent-soft)' },
});

/**
 * CodeMirror's default syntax colours (chosen for a light background), each behind a CSS variable that the dark
 * theme sets (styles.css), so code keeps >= 4.5:1 contrast in both themes.
 */
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

export const codeSyntaxColours: Extension = syntaxHighlighting(codeHighlight);
