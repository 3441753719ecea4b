/**
 * Escape closes what was opened last: the side panel's selection, the legend, the export menu, a message. Each
 * registers while it is open; one listener on the document hands Escape to the most recent. A key pressed in a
 * text field belongs to that field (Escape clears a search box) unless the field is inside what registered.
 */
import { useEffect, useRef, type RefObject } from 'react';

interface Entry {
  close: () => void;
  within?: RefObject<HTMLElement | null>;
}

const stack: Entry[] = [];

function editable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || (target.tagName === 'INPUT' && !['checkbox', 'radio', 'button', 'submit', 'range'].includes((target as HTMLInputElement).type));
}

function onKeyDown(event: KeyboardEvent): void {
  if (event.key !== 'Escape' || event.defaultPrevented || stack.length === 0) return;
  const top = stack[stack.length - 1]!;
  if (editable(event.target) && !(top.within?.current && top.within.current.contains(event.target as Node))) return;
  event.preventDefault();
  top.close();
}

if (typeof document !== 'undefined') document.addEventListener('keydown', onKeyDown);

/** While `open`, Escape calls `close` (unless something opened later takes it first). */
export function useEscape(open: boolean, close: () => void, within?: RefObject<HTMLElement | null>): void {
  const latest = useRef(close);
  latest.current = close;
  useEffect(() => {
    if (!open) return;
    const entry: Entry = { close: () => latest.current(), within };
    stack.push(entry);
    return () => {
      const i = stack.indexOf(entry);
      if (i >= 0) stack.splice(i, 1);
    };
  }, [open]); // eslint-disable-line react-hooks/exhaustive-deps
}
