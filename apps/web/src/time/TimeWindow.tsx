/**
 * The graph's time window, shared with the side panel's charts through context so that the panels need no new
 * props: the charts always cover exactly the window the graph shows (and follow a replay frame by frame).
 */
import { createContext, useContext, type ReactNode } from 'react';

export interface TimeWindow {
  /** Window length, seconds. */
  duration: number;
  /** End of the window shown, unix seconds; null = live (now, refreshing). */
  queryTime: number | null;
  /** Auto-refresh of live views, ms; 0 = off. */
  refreshMs: number;
  /** The server's "now", unix seconds. */
  now: () => number;
  /** Seconds between telemetry scrapes: no chart point is finer. */
  scrapeInterval: number;
}

const TimeWindowContext = createContext<TimeWindow>({ duration: 600, queryTime: null, refreshMs: 0, now: () => Math.floor(Date.now() / 1000), scrapeInterval: 15 });

export function TimeWindowProvider({ value, children }: { value: TimeWindow; children: ReactNode }) {
  return <TimeWindowContext.Provider value={value}>{children}</TimeWindowContext.Provider>;
}

export function useTimeWindow(): TimeWindow {
  return useContext(TimeWindowContext);
}
