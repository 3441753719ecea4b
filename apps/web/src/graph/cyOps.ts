/**
 * Operations on a cytoscape instance, kept out of the React component so that each one is a small,
 * named step: replace the elements, patch them in place, mark find/hide, select the focus.
 */
import type cytoscape from 'cytoscape';
import { classList, type GraphElements } from './elements';
import { boxesFirst, type Extent } from '../layout-store/placement';
import type { Point } from '../layout-store/positionStore';
import { groupMatches, nodeMatches, parseTerms, type Searchable } from './findHide';

/** Replaces every element (a new topology: positions will come from the layout). */
export function replaceElements(cy: cytoscape.Core, elements: GraphElements): void {
  cy.batch(() => {
    cy.elements().remove();
    addSigned(cy, boxesFirst(elements.nodes));
    addSigned(cy, elements.edges);
  });
}

/**
 * Puts a new graph where its placement (layout-store/placement.ts) put it, changing only what changed: nodes and edges
 * that stay keep their style (moved if the placement moved them, restyled only if their data or classes differ), those
 * that went are removed, new ones added. Opening one group of a 10k-workload mesh thus styles its members and their
 * edges, not the 9k edges around them. New nodes are styled before their edges exist: every style property a node
 * takes dirties the style caches of all its edges, so a node styled among its edges costs its properties times its
 * degree (200 collapsed groups with 9k edges between them: about a second), and alone, its properties.
 */
export function placeNodes(cy: cytoscape.Core, elements: GraphElements, positions: Record<string, Point>, boxBodies: Map<string, Extent>): void {
  const nodes = boxesFirst(elements.nodes).map((n): cytoscape.NodeDefinition => {
    const id = String(n.data.id);
    const p = positions[id];
    if (p) return { ...n, position: { x: p.x, y: p.y } };
    const b = boxBodies.get(id);
    if (!b || !classList(n.classes).includes('box-flat')) return n;
    return { ...n, position: { x: (b.x1 + b.x2) / 2, y: (b.y1 + b.y2) / 2 }, data: { ...n.data, mlW: b.x2 - b.x1, mlH: b.y2 - b.y1 } };
  });
  const next = new Map(nodes.map((n) => [String(n.data.id), n]));
  // A node that changed box is added anew: cytoscape moves nodes between compound parents only with move(), which
  // restyles the whole box.
  const gone = cy.nodes().filter((n) => {
    const def = next.get(n.id());
    return !def || (def.data.parent ?? undefined) !== (n.data('parent') ?? undefined);
  });
  const added: cytoscape.NodeDefinition[] = [];
  cy.batch(() => {
    gone.remove();
    for (const def of nodes) {
      const node = cy.getElementById(String(def.data.id)) as cytoscape.NodeSingular;
      if (node.empty()) added.push(def);
      else {
        patchElement(node, def);
        // Only a node that moves: a position set, even to where the node is, dirties the bounds of all its edges.
        const p = node.position();
        if (def.position && (p.x !== def.position.x || p.y !== def.position.y)) node.position(def.position);
      }
    }
  });
  if (added.length > 0) {
    let fresh = cy.collection();
    cy.batch(() => {
      fresh = addSigned(cy, added);
    });
    // In a batch: each property a box member takes notifies the renderer of its boxes' bounds, once per property
    // outside one (the demo's 107 nodes: 200 ms of style, 140 in a batch).
    cy.batch(() => fresh.forEach((n) => void n.style('display')));
  }
}

/** Edges a first picture adds per task (addEdgesInTasks). */
export const EDGES_PER_TASK = 1000;
/**
 * From this many edges a first picture adds them in tasks (addEdgesInTasks). Below, the task it adds costs more than
 * the frame it shortens (the demo's 75 edges: ~130 ms later on screen, its longest task unchanged); at the 1k mesh's
 * 426 collapsed edges the edge frame goes from 270-330 ms to ~230.
 */
export const EDGES_IN_TASKS_FROM = 200;

/** Cytoscape's core and canvas renderer as addEdgesInTasks uses them: undocumented, hence optional. */
interface RendererControls {
  notifications?: (on?: boolean) => boolean;
  notify?: (event: string) => void;
  renderer?: () => { flushRenderedStyleQueue?: () => void } | undefined;
}

/**
 * A first picture's edges (none drawn yet), added `EDGES_PER_TASK` at a time, each share in a task of its own, and
 * drawn once, when all are in. Adding, styling and drawing thousands of edges in one task was the longest task of a
 * large graph's load (3k workloads collapsed, 2.2k edges: ~0.5 s; 10k, 9.2k edges: ~2.5 s in two tasks). Each task
 * adds its share, styles it and computes what the renderer computes before drawing (edge end points:
 * `flushRenderedStyleQueue`; computing the bounds here as well made the 10k picture 1 s later, for nothing). Events
 * the renderer hears through the core wait for the last (`notifications`); cytoscape's `endBatch` tells it of each
 * share anyway, so the edges added so far are drawn after each task, and each frame computes its new edges' bounds as
 * it culls. That spreads the first draw's work: silencing the renderer's `notify` too (tried at 10k workloads) made
 * the picture ready ~0.2 s sooner but left it all to one last frame of 250-550 ms instead of ~200. False when
 * `stale()` turned true between two tasks (the newer placement patches in what is left).
 */
export async function addEdgesInTasks(cy: cytoscape.Core, elements: GraphElements, stale: () => boolean): Promise<boolean> {
  const { edges } = elements;
  const core = cy as unknown as RendererControls;
  const quiet = typeof core.notifications === 'function' && typeof core.notify === 'function';
  if (quiet) core.notifications!(false);
  try {
    for (let i = 0; i < edges.length; i += EDGES_PER_TASK) {
      if (i > 0) {
        await nextTask();
        if (stale() || cy.destroyed()) return false;
      }
      let added = cy.collection();
      cy.batch(() => {
        added = addSigned(cy, edges.slice(i, i + EDGES_PER_TASK));
      });
      cy.batch(() => added.forEach((e) => void e.style('display')));
      core.renderer?.()?.flushRenderedStyleQueue?.();
    }
    return true;
  } finally {
    if (quiet && !cy.destroyed()) {
      core.notifications!(true);
      core.notify!('add');
    }
  }
}

/** The edges of a placement (after placeNodes): kept ones patched, new ones added, the rest removed. */
export function placeEdges(cy: cytoscape.Core, elements: GraphElements): void {
  cy.batch(() => {
    patchEdges(cy, elements.edges);
    // Left by a layout of the older kind that was overtaken (GraphView's other layouts hide edges until placed).
    cy.edges('.awaiting-layout').removeClass('awaiting-layout');
  });
}

function setClasses(ele: cytoscape.NodeSingular | cytoscape.EdgeSingular, classes: string[] | string | undefined, keep: string[]): void {
  const kept = keep.filter((c) => ele.hasClass(c));
  ele.classes([...classList(classes), ...kept]);
}

// Classes the page sets, not the data: kept when a refresh patches an element's classes.
const TRANSIENT_CLASSES = ['find-match', 'hidden', 'kbd-cursor', 'awaiting-layout'];

// What-if marks (drafts/graphDiff.ts) come and go with the mode: cytoscape merges data, so absent ones are removed.
const WHATIF_DATA = ['mlDiff', 'mlDiffLabel', 'mlPredicted'];

function setData(ele: cytoscape.NodeSingular | cytoscape.EdgeSingular, data: Record<string, unknown>): void {
  const stale = WHATIF_DATA.filter((k) => !(k in data) && ele.data(k) !== undefined);
  if (stale.length > 0) ele.removeData(stale.join(' '));
  ele.data(data);
}

/** What an element was last given (its data and classes as the graph sent them): the same next time, nothing to restyle. */
const GIVEN = 'mlGiven';
interface Given {
  data: unknown;
  classes: string;
}
const given = (def: cytoscape.ElementDefinition): Given => ({ data: def.data, classes: classList(def.classes).join(' ') });

/**
 * Whether two values parsed from JSON are equal, key order aside. Compared where they are, not serialized: opening a
 * group of a 10k-workload mesh compares ~9k edges, which as JSON strings cost ~40 ms and their garbage.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let keys = 0;
  for (const k in x) {
    if (!Object.hasOwn(x, k)) continue;
    keys++;
    if (!Object.hasOwn(y, k) || !sameJson(x[k], y[k])) return false;
  }
  for (const k in y) if (Object.hasOwn(y, k)) keys--;
  return keys === 0;
}

/**
 * Updates one element's data and classes, unless they are what it already has: cytoscape restyles an element on any
 * data it is given, equal or not, and a refresh of a large graph is mostly equal.
 */
function patchElement(ele: cytoscape.NodeSingular | cytoscape.EdgeSingular, def: cytoscape.ElementDefinition): void {
  const next = given(def);
  const last = ele.scratch(GIVEN) as Given | undefined;
  if (last && last.classes === next.classes && sameJson(last.data, next.data)) return;
  setData(ele, def.data as Record<string, unknown>);
  setClasses(ele, def.classes, TRANSIENT_CLASSES);
  ele.scratch(GIVEN, next);
}

function addSigned(cy: cytoscape.Core, defs: cytoscape.ElementDefinition[]): cytoscape.CollectionReturnValue {
  const added = cy.add(defs);
  for (const def of defs) cy.getElementById(String(def.data.id)).scratch(GIVEN, given(def));
  return added;
}

/** Edges as `edges` says: kept ones patched, new ones added, the rest removed. */
function patchEdges(cy: cytoscape.Core, edges: cytoscape.EdgeDefinition[]): void {
  const edgeIds = new Set<string>();
  const fresh: cytoscape.EdgeDefinition[] = [];
  for (const def of edges) {
    const id = String(def.data.id);
    edgeIds.add(id);
    const edge = cy.getElementById(id) as cytoscape.EdgeSingular;
    // An edge's endpoints are immutable in cytoscape: replace it if they changed.
    if (edge.nonempty() && edge.data('source') === def.data.source && edge.data('target') === def.data.target) patchElement(edge, def);
    else {
      if (edge.nonempty()) edge.remove();
      fresh.push(def);
    }
  }
  cy.edges().filter((e) => !edgeIds.has(e.id())).remove();
  if (fresh.length > 0) addSigned(cy, fresh);
}

/**
 * Same nodes as before: update their data and classes where they are, and add, update or remove
 * edges. No layout runs, so the picture does not jump on every refresh.
 */
export function patchElements(cy: cytoscape.Core, elements: GraphElements): void {
  cy.batch(() => {
    for (const def of elements.nodes) {
      const node = cy.getElementById(String(def.data.id)) as cytoscape.NodeSingular;
      if (node.nonempty()) patchElement(node, def);
    }
    patchEdges(cy, elements.edges);
  });
}

/** Matches of find inside one collapsed group, which it takes expanding the group to see. */
export interface GroupFind {
  id: string;
  /** What `expand=` takes. */
  key: string;
  name: string;
  count: number;
}

export interface FindResult {
  /** Nodes found, those inside collapsed groups included. */
  count: number;
  inGroups: GroupFind[];
}

/**
 * Marks nodes matching `find`, hides nodes matching `hide` and boxes left empty by hiding. A collapsed group is
 * searched through its members: it is marked, and its matches are counted and listed (expand it to see them). A group
 * is hidden only when all its members match `hide`.
 */
export function applyFindHide(cy: cytoscape.Core, find: string, hide: string): FindResult {
  const findTerms = parseTerms(find);
  const hideTerms = parseTerms(hide);
  let found = 0;
  const inGroups: GroupFind[] = [];
  cy.batch(() => {
    // Only from the elements that have them: cytoscape restyles every element a removeClass is called on, whether it
    // had the class or not (on a 10k mesh's 9k collapsed edges, a second whole style pass after the first picture).
    cy.elements('.find-match, .hidden').removeClass('find-match hidden');
    cy.nodes().forEach((node) => {
      const data = node.data() as Searchable & { id: string; namespace: string; app?: string; group?: { key: string; kind: string; count: number } };
      if (data.group) {
        if (hideTerms.length > 0 && groupMatches(data, hideTerms) === data.group.count) node.addClass('hidden');
        else {
          const matches = groupMatches(data, findTerms);
          if (matches > 0) {
            node.addClass('find-match');
            found += matches;
            inGroups.push({ id: data.id, key: data.group.key, name: data.group.kind === 'app' ? `${data.app ?? data.group.key} (${data.namespace})` : data.namespace, count: matches });
          }
        }
        return;
      }
      if (nodeMatches(data, hideTerms)) node.addClass('hidden');
      else if (nodeMatches(data, findTerms)) {
        node.addClass('find-match');
        found++;
      }
    });
    // Innermost boxes first, so a namespace whose app boxes all became empty is hidden as well.
    const boxes = (cy.nodes('.box').not('.box-flat') as cytoscape.NodeCollection).sort((a, b) => b.ancestors().length - a.ancestors().length);
    boxes.forEach((box) => {
      if (box.children().not('.hidden').empty()) box.addClass('hidden');
    });
  });
  inGroups.sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : 1));
  return { count: found, inGroups };
}

/** Selects the focused element (and only it); returns whether it exists. */
export function applyFocus(cy: cytoscape.Core, focus: string | null): boolean {
  const selected = cy.$(':selected');
  const target = focus ? cy.getElementById(focus) : cy.collection();
  if (selected.length === 1 && target.nonempty() && selected.same(target)) return true;
  selected.unselect();
  if (target.nonempty()) target.select();
  return target.nonempty();
}

/** Resolves after the next frame is painted (a frame callback, then a task: the paint comes between them). */
export function afterPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

/**
 * Resolves in a task of its own, ahead of the page's other queued work where the browser can order tasks
 * (`scheduler.postTask` at user-blocking priority): what follows does not lengthen the task running now, and does not
 * wait behind the rendering of the rest of the page either.
 */
export function nextTask(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { postTask?: (task: () => void, options: { priority: string }) => Promise<void> } }).scheduler;
  if (scheduler?.postTask) return scheduler.postTask(() => undefined, { priority: 'user-blocking' });
  return new Promise((resolve) => setTimeout(resolve, 0));
}
