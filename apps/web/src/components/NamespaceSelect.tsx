/**
 * The namespace picker: the selection as removable chips, and a popover to change it — a search field that filters
 * the list (a combobox: arrows move, Enter toggles, Escape closes), "All", "None" and "With problems", and each
 * namespace with its size and its configuration findings. Keyboard, screen readers and test drivers use the same
 * ARIA combobox/listbox pattern.
 */
import type { NamespaceInfo } from '@meshlens/model';
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useFindings } from '../config/api';
import { useEscape } from './useEscape';
import { summaryByNamespace } from '../config/namespaceFindings';
import { SEVERITY_GLYPH } from '../config/severity';
import { countsText, filterNamespaceOptions, namespaceOptions, namespacesWithProblems, toggleNamespace, type NamespaceOption } from './namespacePicker';
import './namespaceSelect.css';

interface Props {
  namespaces: NamespaceInfo[];
  selected: string[];
  onChange: (selected: string[]) => void;
  loading: boolean;
  /** What an empty selection shows: nothing (the graph) or every namespace (the Config page). */
  emptyMeans?: 'none' | 'all';
}

/** Chips shown before "+N more": about two rows of the field's width. */
const MAX_CHIPS = 4;

function Findings({ option }: { option: NamespaceOption }) {
  const f = option.findings;
  if (!f) return null;
  if (f.error + f.warning + f.info === 0) return <span className="ns-findings ns-findings-none">no findings</span>;
  return (
    <span className="ns-findings">
      {f.error > 0 && <span className="severity-error">{`${SEVERITY_GLYPH.error} ${f.error}`}</span>}
      {f.warning > 0 && <span className="severity-warning">{`${SEVERITY_GLYPH.warning} ${f.warning}`}</span>}
      {f.info > 0 && <span className="severity-info">{`${SEVERITY_GLYPH.info} ${f.info}`}</span>}
    </span>
  );
}

function findingsWords(option: NamespaceOption): string {
  const f = option.findings;
  if (!f) return '';
  const parts = [f.error ? `${f.error} errors` : '', f.warning ? `${f.warning} warnings` : '', f.info ? `${f.info} info` : ''].filter(Boolean);
  return parts.length ? `, findings: ${parts.join(', ')}` : ', no findings';
}

export function NamespaceSelect({ namespaces, selected, onChange, loading, emptyMeans = 'none' }: Props) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const search = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const id = useId();
  // Findings of every namespace, asked for only once the list is open (a big cluster's findings are not free).
  const findings = useFindings(null, { enabled: open, refreshMs: 0 });
  const perNamespace = useMemo(() => (findings.data ? summaryByNamespace(findings.data.findings) : undefined), [findings.data]);
  const options = useMemo(() => namespaceOptions(namespaces, selected, perNamespace), [namespaces, selected, perNamespace]);
  const shown = useMemo(() => filterNamespaceOptions(options, query), [options, query]);
  const chosen = new Set(selected);
  const problems = namespacesWithProblems(options);
  const activeOption = shown[Math.min(active, shown.length - 1)];
  const optionId = (name: string) => `${id}-ns-${name}`;

  const close = (refocus: boolean) => {
    setOpen(false);
    setQuery('');
    if (refocus) toggle.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    search.current?.focus();
    // A click anywhere else closes the list.
    const onDown = (event: MouseEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) close(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  useEffect(() => setActive(0), [query]);
  // Escape closes the list wherever the focus is (a pressed button may have taken it out of the search field).
  useEscape(open, () => close(true), root);

  // Keep the active option in view as the arrows move it.
  useEffect(() => {
    if (!open || !activeOption) return;
    document.getElementById(optionId(activeOption.name))?.scrollIntoView({ block: 'nearest' });
  }, [open, activeOption?.name]); // eslint-disable-line react-hooks/exhaustive-deps

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const last = shown.length - 1;
    switch (event.key) {
      case 'ArrowDown':
        setActive((a) => Math.min(last, a + 1));
        break;
      case 'ArrowUp':
        if (event.altKey) close(true);
        else setActive((a) => Math.max(0, a - 1));
        break;
      case 'PageDown':
        setActive((a) => Math.min(last, a + 10));
        break;
      case 'PageUp':
        setActive((a) => Math.max(0, a - 10));
        break;
      case 'Enter':
        if (activeOption) onChange(toggleNamespace(selected, activeOption.name, options));
        break;
      case 'Escape':
        close(true);
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  const chips = selected.slice(0, MAX_CHIPS);
  const more = selected.length - chips.length;
  const summary = selected.length === 0 ? (emptyMeans === 'all' ? 'All namespaces' : 'None selected') : `${selected.length} of ${options.length} selected`;

  return (
    <div className="field ns-field" ref={root} data-testid="ns-picker">
      <div className="ns-head">
        <span className="field-label" id={`${id}-label`}>Namespaces</span>
        <button
          type="button"
          ref={toggle}
          className="ns-toggle"
          data-testid="ns-picker-toggle"
          aria-haspopup="dialog"
          aria-expanded={open}
          aria-controls={open ? `${id}-popover` : undefined}
          aria-label={`Choose namespaces (${summary})`}
          onClick={() => (open ? close(false) : setOpen(true))}
        >
          {open ? 'Close' : 'Choose…'}
        </button>
      </div>
      <ul className="ns-chips" aria-label="Selected namespaces" data-testid="ns-chips">
        {chips.map((name) => (
          <li key={name} className="ns-chip" data-ns={name}>
            <span className="ns-chip-name" title={name}>{name}</span>
            <button type="button" className="ns-chip-remove" aria-label={`Remove ${name}`} onClick={() => onChange(selected.filter((n) => n !== name))}>
              ×
            </button>
          </li>
        ))}
        {more > 0 && (
          <li>
            <button type="button" className="ns-chip ns-more" onClick={() => setOpen(true)} aria-label={`${more} more selected: show all`}>
              {`+${more} more`}
            </button>
          </li>
        )}
        {selected.length === 0 && <li className="ns-empty muted">{loading ? 'Loading…' : emptyMeans === 'all' ? 'All namespaces' : 'None selected'}</li>}
      </ul>
      {open && (
        <div className="ns-popover" id={`${id}-popover`} role="dialog" aria-label="Choose namespaces" data-testid="ns-popover" onKeyDown={(e) => e.key === 'Escape' && (e.preventDefault(), e.stopPropagation(), close(true))}>
          <input
            ref={search}
            type="search"
            className="ns-search"
            role="combobox"
            aria-expanded="true"
            aria-controls={`${id}-listbox`}
            aria-autocomplete="list"
            aria-activedescendant={activeOption ? optionId(activeOption.name) : undefined}
            aria-label="Filter namespaces by name or label; arrows move, Enter adds or removes"
            placeholder="Filter by name or label"
            data-testid="ns-search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={onKeyDown}
          />
          <div className="ns-bulk" role="group" aria-label="Select">
            {/* Never disabled: a button that disables itself when pressed would drop the keyboard focus. */}
            <button type="button" data-testid="ns-all" onClick={() => onChange(options.map((o) => o.name))}>
              All
            </button>
            <button type="button" data-testid="ns-none" onClick={() => onChange([])}>
              None
            </button>
            <button
              type="button"
              data-testid="ns-problems"
              onClick={() => onChange(problems)}
              disabled={!perNamespace || problems.length === 0}
              title={!perNamespace ? 'Reading the findings…' : problems.length === 0 ? 'No namespace has errors or warnings' : `Namespaces with configuration errors or warnings: ${problems.join(', ')}`}
            >
              {`With problems${perNamespace ? ` (${problems.length})` : ''}`}
            </button>
          </div>
          <ul className="ns-listbox" id={`${id}-listbox`} role="listbox" aria-multiselectable="true" aria-labelledby={`${id}-label`} ref={list} data-testid="ns-listbox">
            {shown.map((o) => {
              const isSelected = chosen.has(o.name);
              return (
                <li
                  key={o.name}
                  id={optionId(o.name)}
                  role="option"
                  aria-selected={isSelected}
                  data-ns={o.name}
                  className={`ns-option${o === activeOption ? ' active' : ''}`}
                  aria-label={`${o.name}${o.listed ? '' : ' (not listed by the server)'}${o.counts ? `, ${o.counts.services} services, ${o.counts.workloads} workloads` : ''}${findingsWords(o)}`}
                  // Keep the focus in the search field: the list is driven from there.
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => {
                    setActive(shown.indexOf(o));
                    onChange(toggleNamespace(selected, o.name, options));
                  }}
                >
                  <span className="ns-check" aria-hidden="true">{isSelected ? '✓' : ''}</span>
                  <span className="ns-option-name">{o.name}</span>
                  <span className="ns-option-meta" aria-hidden="true">
                    {o.listed ? countsText(o.counts) : 'not listed'}
                    <Findings option={o} />
                  </span>
                </li>
              );
            })}
          </ul>
          <p className="ns-status" role="status" aria-live="polite">
            {shown.length === 0 ? `No namespace matches “${query}”.` : `${shown.length === options.length ? `${options.length} namespaces` : `${shown.length} of ${options.length} shown`} · ${selected.length} selected${findings.isFetching && !perNamespace ? ' · reading findings…' : ''}`}
          </p>
        </div>
      )}
    </div>
  );
}
