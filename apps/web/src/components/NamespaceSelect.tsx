/**
 * Namespace multi-select: a native <select multiple> (keyboard, screen readers and test drivers all
 * know it) where a plain click toggles one namespace, instead of replacing the selection as a
 * listbox otherwise does without Ctrl.
 */
import type { NamespaceInfo } from '@meshlens/model';
import type { MouseEvent } from 'react';

interface Props {
  namespaces: NamespaceInfo[];
  selected: string[];
  onChange: (selected: string[]) => void;
  loading: boolean;
}

export function NamespaceSelect({ namespaces, selected, onChange, loading }: Props) {
  const names = namespaces.map((n) => n.name);
  // Keep selected namespaces the server does not list (yet) visible, rather than silently dropping them.
  for (const name of selected) if (!names.includes(name)) names.push(name);
  const toggle = (event: MouseEvent<HTMLSelectElement>) => {
    const target = event.target as HTMLElement;
    if (target.tagName !== 'OPTION' || event.shiftKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    const value = (target as HTMLOptionElement).value;
    onChange(selected.includes(value) ? selected.filter((n) => n !== value) : [...selected, value]);
    event.currentTarget.focus();
  };
  return (
    <div className="field ns-field">
      <div className="ns-head">
        <label htmlFor="ns-select">Namespaces</label>
        <span className="ns-actions">
          <button type="button" className="link-button small" onClick={() => onChange(names)} disabled={names.length === 0}>
            All
          </button>
          <button type="button" className="link-button small" onClick={() => onChange([])} disabled={selected.length === 0}>
            None
          </button>
        </span>
      </div>
      <select
        id="ns-select"
        data-testid="ns-select"
        multiple
        size={Math.min(3, Math.max(2, names.length))}
        value={selected}
        onMouseDown={toggle}
        onChange={(event) => onChange([...event.target.selectedOptions].map((o) => o.value))}
        aria-describedby="ns-help"
      >
        {names.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
      <span id="ns-help" className="visually-hidden">
        {loading ? 'Loading namespaces. ' : ''}Click a namespace to add or remove it.
      </span>
    </div>
  );
}
