/**
 * The graph from the keyboard: Tab into the canvas puts a cursor on the selection (or the first node); arrow keys
 * move it to the nearest node in that direction, `]` and `[` walk the edges of the last node visited (arrows go
 * back to an edge's source or target), Enter or Space selects (the side panel opens), Escape clears, Home goes
 * to the first node, + and − zoom. The cursor's element is outlined, described in a tooltip, and announced.
 */
import type cytoscape from 'cytoscape';
import { useCallback, useRef, useState, type FocusEvent, type KeyboardEvent, type RefObject } from 'react';
import { cycle, edgesOf, firstNode, nextInDirection, type Direction, type Placed } from './keyboard';
import { tipFor, type Tip } from './tooltip';

const ARROWS: Record<string, Direction> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };

function visibleLeaves(cy: cytoscape.Core): Placed[] {
  return cy
    .nodes()
    .filter((n) => !n.data('isBox') && !n.hasClass('hidden'))
    .map((n: cytoscape.NodeSingular) => ({ id: n.id(), ...n.position() }));
}

function visibleEdges(cy: cytoscape.Core) {
  return cy
    .edges()
    .filter((e) => !e.hasClass('hidden'))
    .map((e: cytoscape.EdgeSingular) => ({ id: e.id(), source: e.source().id(), target: e.target().id() }));
}

export interface GraphKeyboard {
  containerProps: {
    onKeyDown: (event: KeyboardEvent<HTMLElement>) => void;
    onFocus: (event: FocusEvent<HTMLElement>) => void;
    onBlur: () => void;
    onPointerDown: () => void;
  };
  /** The tooltip of the cursor's element while the canvas has the focus. */
  cursorTip: Tip | null;
  /** The sentence for screen readers after each move. */
  announcement: string;
  /** After new elements: keep the cursor on its element, or drop it when the element is gone or hidden. */
  refresh: () => void;
  /** The picture moved (pan, zoom): the tooltip would point at the wrong place. */
  hideTip: () => void;
}

export function useGraphKeyboard(cyRef: RefObject<cytoscape.Core | null>, selection: string | null, select: (id: string | null) => void): GraphKeyboard {
  const [cursorTip, setCursorTip] = useState<Tip | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const cursor = useRef<string | null>(null);
  /** The node whose edges `]` and `[` walk: the last node the cursor was on. */
  const anchor = useRef<string | null>(null);
  const focused = useRef(false);
  const byPointer = useRef(false);

  const place = useCallback(
    (id: string | null, center = true) => {
      const cy = cyRef.current;
      if (!cy) return;
      cy.elements('.kbd-cursor').removeClass('kbd-cursor');
      const ele = id ? cy.getElementById(id) : null;
      if (!ele || ele.empty() || ele.hasClass('hidden')) {
        cursor.current = null;
        setCursorTip(null);
        return;
      }
      cursor.current = ele.id();
      if (ele.isNode()) anchor.current = ele.id();
      ele.addClass('kbd-cursor');
      // Bring it into view when it is off screen.
      const box = ele.renderedBoundingBox({ includeLabels: false });
      if (center && (box.x1 < 0 || box.y1 < 0 || box.x2 > cy.width() || box.y2 > cy.height())) cy.center(ele);
      const tip = tipFor(ele);
      setCursorTip(tip);
      if (tip) {
        const edges = ele.isNode() ? edgesOf(ele.id(), visibleEdges(cy)).length : 0;
        const walk = ele.isNode() ? (edges > 0 ? ` ${edges} ${edges === 1 ? 'edge' : 'edges'}: ] and [ walk them.` : ' No edges.') : ' Left goes to its source, right to its target.';
        setAnnouncement(`${tip.title}. ${tip.lines.join('. ')}.${walk} Enter selects.`);
      }
    },
    [cyRef],
  );

  const start = useCallback((): string | null => {
    const cy = cyRef.current;
    if (!cy) return null;
    const selected = selection ? cy.getElementById(selection) : null;
    if (selected && selected.nonempty() && !selected.hasClass('hidden') && !selected.data('isBox')) return selection;
    return firstNode(visibleLeaves(cy));
  }, [cyRef, selection]);

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const cy = cyRef.current;
    if (!cy || event.altKey || event.ctrlKey || event.metaKey) return;
    byPointer.current = false;
    const current = cursor.current ? cy.getElementById(cursor.current) : null;
    const here = current && current.nonempty() ? current : null;
    const direction = ARROWS[event.key];
    if (direction) {
      if (!here) place(start());
      else if (here.isEdge()) {
        const edge = here as cytoscape.EdgeSingular;
        place(direction === 'left' || direction === 'up' ? edge.source().id() : edge.target().id());
      } else {
        const node = here as cytoscape.NodeSingular;
        place(nextInDirection({ id: node.id(), ...node.position() }, visibleLeaves(cy), direction) ?? node.id());
      }
    } else if (event.key === ']' || event.key === '[') {
      const node = anchor.current ?? start();
      if (!node) return;
      const next = cycle(edgesOf(node, visibleEdges(cy)), here?.isEdge() ? here.id() : null, event.key === ']' ? 1 : -1);
      if (next) place(next);
      else setAnnouncement('This node has no edges.');
    } else if (event.key === 'Enter' || event.key === ' ') {
      if (!here) place(start());
      else select(here.id());
    } else if (event.key === 'Home') {
      place(firstNode(visibleLeaves(cy)));
    } else if (event.key === '+' || event.key === '=' || event.key === '-' || event.key === '−') {
      const factor = event.key === '-' || event.key === '−' ? 0.8 : 1.25;
      cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    } else if (event.key === 'Escape' && !selection && here) {
      // Nothing selected: Escape puts the cursor away. (With a selection, Escape clears that: components/useEscape.ts.)
      place(null);
    } else {
      return;
    }
    event.preventDefault();
  };

  const onFocus = (event: FocusEvent<HTMLElement>) => {
    if (event.target !== event.currentTarget) return;
    focused.current = true;
    // A click focuses the canvas too: the cursor appears only for the keyboard.
    if (byPointer.current) return;
    place(cursor.current ?? start());
  };

  const onBlur = () => {
    focused.current = false;
    cyRef.current?.elements('.kbd-cursor').removeClass('kbd-cursor');
    setCursorTip(null);
  };

  const refresh = useCallback(() => {
    if (!cursor.current) return;
    const cy = cyRef.current;
    const ele = cy?.getElementById(cursor.current);
    if (!ele || ele.empty() || ele.hasClass('hidden')) {
      place(null);
      return;
    }
    if (focused.current) place(cursor.current, false);
  }, [cyRef, place]);

  const hideTip = useCallback(() => setCursorTip(null), []);

  return {
    containerProps: { onKeyDown, onFocus, onBlur, onPointerDown: () => (byPointer.current = true) },
    cursorTip,
    announcement,
    refresh,
    hideTip,
  };
}
