/**
 * Accessible tabs (WAI-ARIA tabs pattern, automatic activation): a tablist whose tabs move with the arrow keys,
 * Home and End, one tab in the Tab order, and a tabpanel labelled by its tab. The selected tab lives in the URL
 * (the page passes it in and writes it back), so each tab is a link-able, Back-able view.
 */
import { useRef, type KeyboardEvent, type ReactNode } from 'react';

interface Props<T extends string> {
  tabs: readonly T[];
  labels: Record<T, string>;
  selected: T;
  onSelect: (tab: T) => void;
  /** Prefix of the tab and panel ids. */
  id: string;
  label: string;
  children: ReactNode;
}

export function Tabs<T extends string>({ tabs, labels, selected, onSelect, id, label, children }: Props<T>) {
  const refs = useRef(new Map<T, HTMLButtonElement>());
  const move = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    let next: number | null = null;
    if (event.key === 'ArrowRight') next = (index + 1) % tabs.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + tabs.length) % tabs.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = tabs.length - 1;
    if (next === null) return;
    event.preventDefault();
    const tab = tabs[next]!;
    refs.current.get(tab)?.focus();
    onSelect(tab);
  };
  return (
    <>
      <div role="tablist" aria-label={label} className="tabs" data-testid="detail-tabs">
        {tabs.map((tab, i) => (
          <button
            key={tab}
            ref={(el) => {
              if (el) refs.current.set(tab, el);
              else refs.current.delete(tab);
            }}
            type="button"
            role="tab"
            id={`${id}-tab-${tab}`}
            aria-selected={tab === selected}
            aria-controls={`${id}-panel`}
            tabIndex={tab === selected ? 0 : -1}
            className="tab"
            data-testid={`tab-${tab}`}
            onClick={() => onSelect(tab)}
            onKeyDown={(e) => move(e, i)}
          >
            {labels[tab]}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${selected}`} className="tab-panel" tabIndex={0} data-testid={`panel-${selected}`}>
        {children}
      </div>
    </>
  );
}
