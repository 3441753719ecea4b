/**
 * Operations on a cytoscape instance, kept out of the React component so that each one is a small,
 * named step: replace the elements, patch them in place, mark find/hide, select the focus.
 */
import type cytoscape from 'cytoscape';
import type { GraphElements } from './elements';
import { nodeMatches, parseTerms, type Searchable } from './findHide';

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

/**
 * Same nodes as before: update their data and classes where they are, and add, update or remove
 * edges. No layout runs, so the picture does not jump on every refresh.
 */
export function patchElements(cy: cytoscape.Core, elements: GraphElements): void {
  cy.batch(() => {
    for (const def of elements.nodes) {
      const node = cy.getElementById(String(def.data.id)) as cytoscape.NodeSingular;
      if (node.empty()) continue;
      node.data(def.data);
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
          edge.data(def.data);
          setClasses(edge, def.classes, TRANSIENT_CLASSES);
        }
      }
    }
    cy.edges().filter((e) => !edgeIds.has(e.id())).remove();
  });
}

/** Marks nodes matching `find`, hides nodes matching `hide` and boxes left empty by hiding. Returns the find count. */
export function applyFindHide(cy: cytoscape.Core, find: string, hide: string): number {
  const findTerms = parseTerms(find);
  const hideTerms = parseTerms(hide);
  let found = 0;
  cy.batch(() => {
    cy.elements().removeClass('find-match hidden');
    cy.nodes().forEach((node) => {
      const data = node.data() as Searchable;
      if (nodeMatches(data, hideTerms)) node.addClass('hidden');
      else if (nodeMatches(data, findTerms)) {
        node.addClass('find-match');
        found++;
      }
    });
    // Innermost boxes first, so a namespace whose app boxes all became empty is hidden as well.
    const boxes = cy.nodes('.box').sort((a, b) => b.ancestors().length - a.ancestors().length);
    boxes.forEach((box) => {
      if (box.children().not('.hidden').empty()) box.addClass('hidden');
    });
  });
  return found;
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
