/**
 * The graph "with drafts" of the page's view, from the graph worker: re-run (latest wins) when a draft, the window's
 * graph or the live objects change, with the worker's progress while it runs.
 */
import { useEffect, useRef, useState } from 'react';
import type { GraphResponse } from '@meshlens/model';
import { useBaseGeneration, whatIfGraph } from './client';
import type { WhatIfGraphReply } from './protocol';
import type { Draft } from './store';
import type { WhatIfView } from './whatIfGraph';

export interface WhatIfGraphState {
  result: WhatIfGraphReply | null;
  /** The `now` graph the result was computed against (a result for an older window is kept while the next runs). */
  now: GraphResponse | null;
  error: string | null;
  running: boolean;
  /** The worker's current step while it runs. */
  progress: string | null;
}

export function useWhatIfGraph(drafts: Draft[], now: GraphResponse | undefined, view: WhatIfView | null, enabled: boolean): WhatIfGraphState {
  const [state, setState] = useState<WhatIfGraphState>({ result: null, now: null, error: null, running: false, progress: null });
  const generation = useRef(0);
  const baseGeneration = useBaseGeneration();
  const draftsKey = JSON.stringify(drafts.map((d) => [d.id, d.text]));
  const viewKey = JSON.stringify(view);
  useEffect(() => {
    if (!enabled || !now || !view || drafts.length === 0) return;
    const mine = ++generation.current;
    setState((s) => ({ ...s, running: true, progress: 'starting', error: null }));
    whatIfGraph(drafts.map((d) => ({ id: d.id, text: d.text })), now, view, (step) => {
      if (mine === generation.current) setState((s) => ({ ...s, progress: step }));
    }).then(
      (result) => { if (mine === generation.current) setState({ result, now, error: null, running: false, progress: null }); },
      (e: Error) => { if (mine === generation.current) setState((s) => ({ ...s, error: e.message, running: false, progress: null })); },
    );
    // the keys say what the graph depends on
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [draftsKey, now, viewKey, enabled, baseGeneration]);
  return state;
}
