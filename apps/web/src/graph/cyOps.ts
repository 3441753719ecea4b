/**
 * Operations on a cytoscape instance, kept out of the React component so that each one is a small,
 * named step: replace the elements, patch them in place, mark find/hide, select the focus.
 */
import type cytoscape from 'cytoscape';
import type { GraphElements } from './elements';
import { groupMatches, nodeMatches, parseTerms, type Searchable } from './findHide';

/** Replaces every element (a new topology: positions will come from the layout). */
export function replaceElements(cy: cytoscape.Core, elements: GraphElements): void {
  cy.batch(() => {
    cy.elements().remove();
    // Boxes first: cytoscape needs a parent before its children.
    const nodes = [...elements.nodes].sort((a, b) => Number(Boolean(b.data.isBox)) - Number(Boolean(a.data.isBox)));
    cy.add(nodes);
    cy.add(elements.edges);
  });
}

function setClasses(ele: cytoscape.NodeSingular | cytoscape.EdgeSingular, classes: string[] | string | undefined, keep: string[]): void {
  const kept = keep.filter((c) => ele.hasClass(c));
  const list = Array.isArray(classes) ? classes : (classes ?? '').split(' ').filter(Boolean);
  ele.classes([...list, ...kept]);
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

/**
 * Same nodes as before: update their data and classes where they are, and add, update or remove
 * edges. No layout runs, so the picture does not jump on every refresh.
 */
export function patchElements(cy: cytoscape.Core, elements: GraphElements): void {
  cy.batch(() => {
    for (const def of elements.nodes) {
      const node = cy.getElementById(String(def.data.id)) as cytoscape.NodeSingular;
      if (node.empty()) continue;
      setData(node, def.data);
      setClasses(node, def.classes, TRANSIENT_CLASSES);
    }
    const edgeIds = new Set<string>();
    for (const def of elements.edges) {
      const id = String(def.data.id);
      edgeIds.add(id);
      const edge = cy.getElementById(id) as cytoscape.EdgeSingular;
      if (edge.empty()) {
        cy.add(def);
      } else {
        // An edge's endpoints are immutable in cytoscape: replace it if they changed.
        if (edge.data('source') !== def.data.source || edge.data('target') !== def.data.target) {
          edge.remove();
          cy.add(def);
        } else {
          setData(edge, def.data);
          setClasses(edge, def.classes, TRANSIENT_CLASSES);
        }
      }
    }
    cy.edges().filter((e) => !edgeIds.has(e.id())).remove();
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
    cy.elements().removeClass('find-match hidden');
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
