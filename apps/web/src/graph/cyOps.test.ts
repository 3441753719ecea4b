import cytoscape from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { addEdgesInTasks, EDGES_PER_TASK, patchElements, replaceElements, sameJson } from './cyOps';
import type { GraphElements } from './elements';

/** A first picture: `n` nodes placed, `m` edges between them still to add. */
function picture(n: number, m: number): { cy: cytoscape.Core; elements: GraphElements } {
  const cy = cytoscape({ headless: true, styleEnabled: true, style: [{ selector: 'edge', style: { width: 2, 'curve-style': 'haystack' } }] });
  const nodes = Array.from({ length: n }, (_, i) => ({ data: { id: `n${i}` }, position: { x: i * 10, y: 0 } }));
  const edges = Array.from({ length: m }, (_, i) => ({ data: { id: `e${i}`, source: `n${i % n}`, target: `n${(i * 7 + 1) % n}` } }));
  cy.add(nodes);
  return { cy, elements: { nodes, edges } as GraphElements };
}

const notifying = (cy: cytoscape.Core) => (cy as unknown as { notifications: () => boolean }).notifications();

describe('addEdgesInTasks: a first picture\'s edges, a share per task', () => {
  it('adds the first share at once and the rest in later tasks, the renderer told only at the end', async () => {
    const { cy, elements } = picture(50, 2 * EDGES_PER_TASK + 500);
    const running = addEdgesInTasks(cy, elements, () => false);
    // the call returns with one share in: the rest waits for tasks of their own
    expect(cy.edges().length).toBe(EDGES_PER_TASK);
    expect(notifying(cy)).toBe(false);
    expect(await running).toBe(true);
    expect(cy.edges().map((e) => e.id()).sort()).toEqual(elements.edges.map((e) => String(e.data.id)).sort());
    expect(notifying(cy)).toBe(true);
    // every edge is where its definition says, and styled
    expect(cy.getElementById('e1234').source().id()).toBe('n34');
    expect(cy.getElementById('e1234').target().id()).toBe(`n${(1234 * 7 + 1) % 50}`);
    expect(cy.getElementById('e2499').style('curve-style')).toBe('haystack');
  });

  it('stops between two tasks when the placement went stale, and gives the renderer back', async () => {
    const { cy, elements } = picture(20, 3 * EDGES_PER_TASK);
    let stale = false;
    const running = addEdgesInTasks(cy, elements, () => stale);
    stale = true;
    expect(await running).toBe(false);
    expect(cy.edges().length).toBe(EDGES_PER_TASK);
    expect(notifying(cy)).toBe(true);
  });

  it('adds a small picture in one task', async () => {
    const { cy, elements } = picture(5, 12);
    const running = addEdgesInTasks(cy, elements, () => false);
    expect(cy.edges().length).toBe(12);
    expect(await running).toBe(true);
  });
});

describe('patching elements: only what the graph changed is given again', () => {
  it('compares values parsed from JSON where they are, key order aside', () => {
    const edge = { id: 'a->b', traffic: { protocol: 'http', rates: { http: 1.5, http5xx: 0.2 } }, codes: ['200', '503'], isMTLS: 100, flag: null };
    expect(sameJson(edge, JSON.parse(JSON.stringify(edge)))).toBe(true);
    expect(sameJson(edge, { isMTLS: 100, flag: null, codes: ['200', '503'], traffic: { rates: { http5xx: 0.2, http: 1.5 }, protocol: 'http' }, id: 'a->b' })).toBe(true);
    expect(sameJson(edge, { ...edge, traffic: { protocol: 'http', rates: { http: 1.5, http5xx: 0.3 } } })).toBe(false);
    expect(sameJson(edge, { ...edge, codes: ['200'] })).toBe(false);
    expect(sameJson(edge, { ...edge, extra: 1 })).toBe(false);
    const { flag: _flag, ...withoutFlag } = edge;
    expect(sameJson(edge, withoutFlag)).toBe(false);
    expect(sameJson({ codes: ['200'] }, { codes: { 0: '200' } })).toBe(false);
    expect(sameJson(null, {})).toBe(false);
    expect(sameJson(0, '0')).toBe(false);
  });

  it('leaves an element given the same data and classes untouched, and gives the changed ones theirs', () => {
    const cy = cytoscape({ headless: true, styleEnabled: true });
    const elements = (rate: number): GraphElements => ({
      nodes: [{ group: 'nodes', data: { id: 'a' } }, { group: 'nodes', data: { id: 'b' } }, { group: 'nodes', data: { id: 'c' } }],
      edges: [
        { group: 'edges', data: { id: 'a->b', source: 'a', target: 'b', traffic: { rates: { http: 1 } } }, classes: ['ok'] },
        { group: 'edges', data: { id: 'b->c', source: 'b', target: 'c', traffic: { rates: { http: rate } } }, classes: rate > 1 ? ['busy'] : ['ok'] },
      ],
    });
    replaceElements(cy, elements(1));
    const changed: string[] = [];
    cy.on('data', (e) => void changed.push(e.target.id()));
    // A response parsed again: equal values, new objects.
    patchElements(cy, JSON.parse(JSON.stringify(elements(1))) as GraphElements);
    expect(changed).toEqual([]);
    patchElements(cy, elements(2));
    expect(changed).toEqual(['b->c']);
    expect(cy.getElementById('b->c').data('traffic')).toEqual({ rates: { http: 2 } });
    expect(cy.getElementById('b->c').classes()).toEqual(['busy']);
    expect(cy.getElementById('a->b').classes()).toEqual(['ok']);
    cy.destroy();
  });
});
