/**
 * Presses on collapsed groups, held back from cytoscape until they turn into drags.
 *
 * Cytoscape answers a press on a node by activating and grabbing it: a restyle and a redraw of the whole picture, whose
 * canvases the browser then rasterizes. With 10k workloads collapsed (200 groups, 9k edges) that is ~0.2 s of the main
 * thread, and it falls exactly while the server computes the opened group's view, on the same cores. A click on a
 * group only opens it, so its press is held here: released where it began, the group opens and cytoscape never saw
 * it; moved further than CLICK_SLOP_PX, the press is handed to cytoscape where it began, and the drag goes on as
 * cytoscape's own (the group moves, and its place is saved on release).
 */
import type cytoscape from 'cytoscape';

/** How far a held press may move and still be a click, in screen pixels (cytoscape's tap threshold is the same). */
export const CLICK_SLOP_PX = 4;

/** The canvas renderer's hit test, as cytoscape's own mousedown handler uses it. */
interface HitTest {
  projectIntoViewport(clientX: number, clientY: number): [number, number];
  findNearestElement(x: number, y: number, interactiveElementsOnly: boolean, isTouch: boolean): cytoscape.SingularElementReturnValue | null | undefined;
}

/** The collapsed group cytoscape would pick under the pointer, or undefined (another element, nothing, no renderer). */
export function groupKeyAt(cy: cytoscape.Core, clientX: number, clientY: number): string | undefined {
  const renderer = (cy as unknown as { renderer?: () => Partial<HitTest> | undefined }).renderer?.();
  if (!renderer?.projectIntoViewport || !renderer.findNearestElement) return undefined;
  const [x, y] = renderer.projectIntoViewport(clientX, clientY);
  const near = renderer.findNearestElement(x, y, true, false);
  if (!near || !near.isNode()) return undefined;
  return (near.data('group') as { key?: string } | undefined)?.key;
}

/**
 * Holds plain left-button presses on collapsed groups in `container` (cytoscape's): `open(key)` on a release within
 * CLICK_SLOP_PX, a press replayed to cytoscape past it. `enabled()` is asked on every press (a view that opens no
 * groups leaves them to cytoscape's tap). Returns what undoes it.
 */
export function holdGroupPresses(cy: cytoscape.Core, container: HTMLElement, enabled: () => boolean, open: (key: string) => void): () => void {
  let held: { x: number; y: number; key: string; target: EventTarget } | null = null;
  let replaying = false;
  const down = (e: MouseEvent) => {
    if (replaying || e.button !== 0 || e.shiftKey || e.ctrlKey || e.metaKey || e.altKey || !enabled()) return;
    const key = groupKeyAt(cy, e.clientX, e.clientY);
    if (key === undefined) return;
    // Cytoscape listens on the container itself: stopped while capturing, the press never reaches it.
    e.stopPropagation();
    e.preventDefault();
    held = { x: e.clientX, y: e.clientY, key, target: e.target ?? container };
  };
  const move = (e: MouseEvent) => {
    if (!held) return;
    // Released where no mouseup reached the page (outside the window): no press to hand on, or the group would follow
    // the pointer with no button down.
    if ((e.buttons & 1) === 0) {
      held = null;
      return;
    }
    if (Math.hypot(e.clientX - held.x, e.clientY - held.y) <= CLICK_SLOP_PX) return;
    const { x, y, target } = held;
    held = null;
    // A drag after all: cytoscape gets the press where it began, then this move, and drags as it always does.
    replaying = true;
    try {
      target.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true, composed: true, clientX: x, clientY: y, button: 0, buttons: 1, view: window }));
    } finally {
      replaying = false;
    }
  };
  const up = (e: MouseEvent) => {
    if (!held || e.button !== 0) return;
    const { key } = held;
    held = null;
    open(key);
  };
  container.addEventListener('mousedown', down, true);
  window.addEventListener('mousemove', move, true);
  window.addEventListener('mouseup', up, true);
  return () => {
    container.removeEventListener('mousedown', down, true);
    window.removeEventListener('mousemove', move, true);
    window.removeEventListener('mouseup', up, true);
  };
}
