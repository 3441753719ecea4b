/**
 * Keeps the drafts' live objects current while there are drafts (baseRefresh.ts): a conditional GET every
 * BASE_REFRESH_MS while the page is visible, and at once when the server's health reports a newer watch event.
 */
import { useEffect } from 'react';
import { useHealth } from '../api/queries';
import { refreshBase } from './client';
import { BASE_REFRESH_MS } from './baseRefresh';

export function useBaseRefresh(enabled: boolean): void {
  const health = useHealth();
  const lastEvent = health.data?.sources.map((s) => `${s.name}@${s.lastEventTime ?? ''}#${s.objects}`).join('|') ?? '';
  useEffect(() => {
    if (!enabled) return;
    const tick = () => { if (document.visibilityState === 'visible') refreshBase().catch(() => undefined); };
    const timer = setInterval(tick, BASE_REFRESH_MS);
    document.addEventListener('visibilitychange', tick);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', tick);
    };
  }, [enabled]);
  useEffect(() => {
    // a failed refresh keeps the objects loaded before; the next tick tries again
    if (enabled && lastEvent) refreshBase().catch(() => undefined);
  }, [enabled, lastEvent]);
}
