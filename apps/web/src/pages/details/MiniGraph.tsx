/**
 * The one-hop node graph of a detail page: the entity's node(s) and their neighbours, drawn with the graph page's
 * own elements, stylesheet and layered layout (graph/, layout/), in a small canvas. Clicking a node opens that node's
 * detail page; the entity's own node is outlined. A list of the same nodes follows for keyboards and screen readers.
 */
import { Link, useNavigate } from '@tanstack/react-router';
import type { GraphResponse } from '@meshlens/model';
import cytoscape from 'cytoscape';
import { useEffect, useRef, useState } from 'react';
import { toElements } from '../../graph/elements';
import { buildStylesheet } from '../../graph/stylesheet';
import { graphPalette } from '../../graph/theme';
import { fitGraph, runLayout } from '../../layout/runLayout';
import { useTheme } from '../../theme/themeStore';
import { entityLink, entityOfNode } from './entityLinks';

interface Props {
  graph: GraphResponse;
  /** Ids of the nodes that stand for the entity. */
  self: ReadonlySet<string>;
}

declare global {
  interface Window {
    /** The detail page's node graph, for browser tests. */
    __meshlensMiniCy?: cytoscape.Core;
  }
}

export function MiniGraph({ graph, self }: Props) {
  const containerRef = useRef<HTMLDivElement>(null);
  const cyRef = useRef<cytoscape.Core | null>(null);
  const navigate = useNavigate();
  const navigateRef = useRef(navigate);
  navigateRef.current = navigate;
  const { theme } = useTheme();
  const palette = graphPalette(theme);
  const [laidOut, setLaidOut] = useState(false);

  useEffect(() => {
    const cy = cytoscape({
      container: containerRef.current,
      style: buildStylesheet('none', palette),
      minZoom: 0.2,
      maxZoom: 2,
      boxSelectionEnabled: false,
      autoungrabify: true,
      userZoomingEnabled: false,
      userPanningEnabled: true,
    });
    cy.on('tap', 'node', (event) => {
      const entity = entityOfNode(event.target.data());
      if (entity) void navigateRef.current(entityLink(entity.type, entity.namespace, entity.name));
    });
    cy.on('mouseover', 'node', (event) => {
      if (containerRef.current) containerRef.current.style.cursor = entityOfNode(event.target.data()) ? 'pointer' : 'default';
    });
    cy.on('mouseout', 'node', () => {
      if (containerRef.current) containerRef.current.style.cursor = 'default';
    });
    cyRef.current = cy;
    window.__meshlensMiniCy = cy;
    const resize = new ResizeObserver(() => {
      cy.resize();
      fitGraph(cy);
    });
    if (containerRef.current) resize.observe(containerRef.current);
    return () => {
      resize.disconnect();
      if (window.__meshlensMiniCy === cy) delete window.__meshlensMiniCy;
      cy.destroy();
      cyRef.current = null;
    };
    // The palette follows the theme in the next effect; the instance lives as long as the page.
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.style([
      ...buildStylesheet('none', palette),
      { selector: 'node.entity-self', style: { 'overlay-color': palette.select, 'overlay-opacity': 0.18, 'overlay-padding': 6, 'font-weight': 'bold' } },
    ] as cytoscape.StylesheetJson);
  }, [palette]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    let stale = false;
    const elements = toElements(graph);
    cy.elements().remove();
    cy.add([...elements.nodes, ...elements.edges]);
    cy.nodes().forEach((n) => {
      if (self.has(n.id())) n.addClass('entity-self');
    });
    setLaidOut(false);
    void runLayout(cy, 'layered', false, () => stale).then((done) => {
      if (stale || done === null) return;
      fitGraph(cy);
      setLaidOut(true);
    });
    return () => {
      stale = true;
    };
  }, [graph, self]);

  const nodes = graph.elements.nodes.filter((n) => !n.data.isBox);
  return (
    <div className="mini-graph">
      <div className="mini-graph-canvas" ref={containerRef} data-testid="mini-graph" data-laid-out={laidOut} aria-hidden="true" />
      <details className="mini-graph-nodes">
        <summary>{`${nodes.length} node${nodes.length === 1 ? '' : 's'}, ${graph.elements.edges.length} edge${graph.elements.edges.length === 1 ? '' : 's'} (as a list)`}</summary>
        <ul>
          {nodes.map((n) => {
            const entity = entityOfNode(n.data);
            const label = n.data.label ?? n.data.id;
            return (
              <li key={n.data.id}>
                {entity ? <Link {...entityLink(entity.type, entity.namespace, entity.name)}>{label}</Link> : label}
                <span className="muted small">{` ${n.data.nodeType}${n.data.namespace && n.data.namespace !== 'unknown' ? ` · ${n.data.namespace}` : ''}${self.has(n.data.id) ? ' · this page' : ''}`}</span>
              </li>
            );
          })}
        </ul>
      </details>
    </div>
  );
}
