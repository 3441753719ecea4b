/**
 * The header's change set: a counter of the drafts, and a small menu to open, discard, download (multi-document
 * YAML), copy as `kubectl apply -f -`, review as a diff against the live objects, or share as a link. Opening a
 * draft shows it in a dialog over any page. A link with `drafts=` brings its change set into this browser.
 */
import { lazy, Suspense, useEffect, useRef, useState, type ReactNode } from 'react';
import { changeSetDiff, changeSetYaml, diffLines, downloadText, kubectlCommand } from './changeSet';
import { decodeDrafts, shareLink, SHARE_PARAM } from './shareLink';
import { addDraft, currentDrafts, discardAll, discardDraft, draftTitle, replaceDrafts, useDrafts, type Draft } from './store';
import { TEMPLATES } from './templates';
import { openDraftDialog, useOpenDraftId } from './ui';
import { useBaseRefresh } from './useBaseRefresh';
import './drafts.css';

// Read when the app starts: the router rewrites the address without the parameters its routes do not know.
const SHARED_AT_LOAD = typeof window === 'undefined' ? null : new URL(window.location.href).searchParams.get(SHARE_PARAM);
let sharedTaken = false;

// The editor (CodeMirror) loads with the first draft opened, not with every page's header.
const DraftEditor = lazy(() => import('./DraftEditor').then((m) => ({ default: m.DraftEditor })));

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** Starts a new draft from a template and opens it. */
export function newDraft(kind = 'ServiceEntry'): void {
  const t = TEMPLATES.find((x) => x.kind === kind) ?? TEMPLATES[0]!;
  openDraftDialog(addDraft(t.text).id);
}

function Modal({ label, onClose, children, testId }: { label: string; onClose: () => void; children: ReactNode; testId: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog ref={ref} className="draft-dialog" aria-label={label} data-testid={testId} onCancel={(e) => { e.preventDefault(); onClose(); }}>
      {children}
    </dialog>
  );
}

function DiffView({ drafts }: { drafts: Draft[] }) {
  return (
    <div className="draft-diffs" data-testid="draft-diff">
      {drafts.map((d) => (
        <section key={d.id} aria-label={`Changes of ${draftTitle(d)}`}>
          <h3 className="draft-diff-title">{`${draftTitle(d)}${d.base ? '' : ' (new)'}`}</h3>
          <pre className="draft-diff-lines" tabIndex={0} aria-label={`Diff of ${draftTitle(d)}`}>
            {diffLines(d.base?.yaml ?? '', d.text).map((l, i) => (
              <span key={i} className={l.op === '+' ? 'diff-add' : l.op === '-' ? 'diff-del' : 'diff-same'}>{`${l.op} ${l.text}\n`}</span>
            ))}
          </pre>
        </section>
      ))}
    </div>
  );
}

export function DraftsMenu() {
  const drafts = useDrafts();
  const openId = useOpenDraftId();
  const [menuOpen, setMenuOpen] = useState(false);
  const [reviewing, setReviewing] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const box = useRef<HTMLSpanElement>(null);
  const opened = openId ? drafts.find((d) => d.id === openId) : undefined;
  // on every page: while there are drafts, their live objects follow the server's
  useBaseRefresh(drafts.length > 0);

  // A shared link's change set joins this browser's (then the parameter leaves the address bar).
  useEffect(() => {
    const value = SHARED_AT_LOAD;
    if (!value || sharedTaken) return;
    sharedTaken = true;
    decodeDrafts(value).then(
      (shared) => {
        replaceDrafts([...currentDrafts(), ...shared]);
        setNote(`Opened ${shared.length} draft${shared.length === 1 ? '' : 's'} from the link.`);
      },
      (e: Error) => setNote(e.message),
    ).finally(() => {
      const url = new URL(window.location.href);
      if (!url.searchParams.has(SHARE_PARAM)) return;
      url.searchParams.delete(SHARE_PARAM);
      window.history.replaceState(window.history.state, '', url.toString());
    });
  }, []);

  // the menu closes on Escape and on a click elsewhere
  useEffect(() => {
    if (!menuOpen) return;
    const click = (e: MouseEvent) => { if (!box.current?.contains(e.target as Node)) setMenuOpen(false); };
    const key = (e: KeyboardEvent) => { if (e.key === 'Escape') setMenuOpen(false); };
    document.addEventListener('mousedown', click);
    document.addEventListener('keydown', key);
    return () => {
      document.removeEventListener('mousedown', click);
      document.removeEventListener('keydown', key);
    };
  }, [menuOpen]);

  const act = (f: () => void | Promise<void>) => () => { setMenuOpen(false); void f(); };
  const none = drafts.length === 0;

  return (
    <span className="drafts-menu" ref={box}>
      <button
        type="button" className="header-button drafts-toggle" aria-expanded={menuOpen} aria-controls="drafts-menu-list" data-testid="drafts-toggle"
        onClick={() => setMenuOpen((o) => !o)}
      >
        Drafts <span className={`drafts-counter${none ? ' zero' : ''}`} data-testid="drafts-count">{drafts.length}</span>
        <span className="visually-hidden">{drafts.length === 1 ? ' draft in the change set' : ' drafts in the change set'}</span>
      </button>
      {menuOpen && (
        <div className="drafts-popup" id="drafts-menu-list" data-testid="drafts-menu">
          {none ? <p className="muted">No drafts. “Edit as draft” on an object's page, or start a new one.</p> : (
            <ul className="drafts-list" aria-label="Drafts">
              {drafts.map((d) => (
                <li key={d.id} data-testid="drafts-item">
                  <button type="button" className="link-button" onClick={act(() => openDraftDialog(d.id))}>{draftTitle(d)}</button>
                  <button type="button" className="link-button small" aria-label={`Discard ${draftTitle(d)}`} onClick={() => discardDraft(d.id)}>Discard</button>
                </li>
              ))}
            </ul>
          )}
          <div className="drafts-actions">
            <span className="drafts-new">
              New draft:
              {TEMPLATES.map((t) => (
                <button key={t.kind} type="button" className="link-button small" data-testid={`drafts-new-${t.kind}`} onClick={act(() => newDraft(t.kind))}>{t.kind}</button>
              ))}
            </span>
            <button type="button" className="link-button" disabled={none} data-testid="drafts-download" onClick={act(() => downloadText('changes.yaml', changeSetYaml(drafts)))}>Download changes.yaml</button>
            <button type="button" className="link-button" disabled={none} data-testid="drafts-copy-kubectl" onClick={act(async () => setNote(await copy(kubectlCommand(drafts)) ? 'Copied a kubectl apply -f - command: run it yourself to apply the change set.' : 'The browser did not allow copying; download changes.yaml instead.'))}>Copy as kubectl apply</button>
            <button type="button" className="link-button" disabled={none} data-testid="drafts-review" onClick={act(() => setReviewing(true))}>Review the diff</button>
            <button
              type="button" className="link-button" disabled={none} data-testid="drafts-share"
              onClick={act(async () => {
                const link = await shareLink(window.location.href, drafts);
                if ('tooLarge' in link) setNote(`The change set is too large for a link (${link.tooLarge} characters compressed, at most 8000): download changes.yaml to share it.`);
                else setNote(await copy(link.url) ? 'Copied a link that opens this change set.' : link.url);
              })}
            >Copy link</button>
            <button type="button" className="link-button" disabled={none} data-testid="drafts-discard-all" onClick={act(() => { discardAll(); openDraftDialog(null); })}>Discard all</button>
          </div>
        </div>
      )}
      {note && (
        <p className="drafts-note" role="status" data-testid="drafts-note">
          {note} <button type="button" className="link-button small" aria-label="Close message" onClick={() => setNote(null)}>×</button>
        </p>
      )}
      {opened && (
        <Modal label={`Draft: ${draftTitle(opened)}`} onClose={() => openDraftDialog(null)} testId="draft-dialog">
          <Suspense fallback={<p className="muted">Loading the editor…</p>}>
            <DraftEditor key={opened.id} draft={opened} onClose={() => openDraftDialog(null)} headingLevel={2} />
          </Suspense>
        </Modal>
      )}
      {reviewing && (
        <Modal label="Review the change set" onClose={() => setReviewing(false)} testId="draft-review">
          <div className="draft-head">
            <h2 className="draft-title">The change set against the live objects</h2>
            <span className="draft-actions">
              <button type="button" className="link-button" onClick={() => downloadText('changes.diff', changeSetDiff(drafts), 'text/x-diff')}>Download changes.diff</button>
              <button type="button" className="link-button" data-testid="draft-review-close" onClick={() => setReviewing(false)}>Close</button>
            </span>
          </div>
          <DiffView drafts={drafts} />
        </Modal>
      )}
    </span>
  );
}
