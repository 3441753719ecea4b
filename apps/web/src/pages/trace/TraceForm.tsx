/**
 * The tracer's form: who sends the request (workloads, gateway proxies, `outside`, suggested in a datalist), the URL
 * (the registry's Service and ServiceEntry hosts and the Gateways' hosts, suggested), request headers as rows to add
 * and remove, the SNI and the method, and who the caller is where the inventory cannot say (an mTLS identity, a JWT
 * principal) for the servers' AuthorizationPolicies. It edits a draft; "Trace" writes the request into the URL (a history entry),
 * which is what the page reads — so Back and Forward step through the requests traced.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTraceSuggestions } from '../../api/trace';
import { headerRow, headerTexts, requestProblems, TRACE_METHODS, type HeaderRow, type TraceRequestState } from './traceSearch';

interface Props {
  /** The request in the URL: the draft starts from it (the page remounts the form when the URL's request changes). */
  initial: TraceRequestState;
  onSubmit: (request: TraceRequestState) => void;
}

/** `value`, once it has stopped changing for `ms`. */
function useSettled(value: string, ms: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

/** The suggestions for a field: the first of each kind, and when the server cut the list, the ones that contain the text typed. */
function useFieldSuggestions(text: string) {
  const all = useTraceSuggestions('');
  const needle = useSettled(text.trim(), 250);
  const narrow = useTraceSuggestions(needle, all.data?.truncated === true && needle.length >= 2);
  return (all.data?.truncated && needle.length >= 2 ? narrow.data : undefined) ?? all.data;
}

export function TraceForm({ initial, onSubmit }: Props) {
  const id = useId();
  const [from, setFrom] = useState(initial.from);
  const [url, setUrl] = useState(initial.url);
  const [rows, setRows] = useState<HeaderRow[]>(initial.headers.map(headerRow));
  const [sni, setSni] = useState(initial.sni);
  const [method, setMethod] = useState((TRACE_METHODS as readonly string[]).includes(initial.method) ? initial.method : 'GET');
  const [principal, setPrincipal] = useState(initial.principal);
  const [requestPrincipal, setRequestPrincipal] = useState(initial.requestPrincipal);
  const [checked, setChecked] = useState(false);
  const principalRef = useRef<HTMLInputElement>(null);
  const requestPrincipalRef = useRef<HTMLInputElement>(null);
  const fromRef = useRef<HTMLInputElement>(null);
  const urlRef = useRef<HTMLInputElement>(null);
  const headersRef = useRef<HTMLFieldSetElement>(null);
  const fromSuggestions = useFieldSuggestions(from);
  const urlSuggestions = useFieldSuggestions(url);
  const problems = requestProblems({ from, url, headers: [], sni, method, principal, requestPrincipal }, rows);
  const shown = checked ? problems : {};

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (problems.from) return fromRef.current?.focus();
    if (problems.url) return urlRef.current?.focus();
    if (problems.headers) return headersRef.current?.querySelector('input')?.focus();
    if (problems.principal) return principalRef.current?.focus();
    if (problems.requestPrincipal) return requestPrincipalRef.current?.focus();
    onSubmit({ from: from.trim(), url: url.trim(), headers: headerTexts(rows), sni: sni.trim(), method, principal: principal.trim(), requestPrincipal: requestPrincipal.trim() });
  };

  const setRow = (i: number, change: Partial<HeaderRow>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...change } : r)));
  const removeRow = (i: number) => setRows((rs) => rs.filter((_, j) => j !== i));

  return (
    <form className="trace-form" onSubmit={submit} aria-label="Request to trace" noValidate data-testid="trace-form">
      <div className="trace-form-row">
        <div className="field trace-from">
          <label htmlFor={`${id}-from`}>From</label>
          <input
            ref={fromRef} id={`${id}-from`} name="from" type="text" list={`${id}-from-options`} value={from} onChange={(e) => setFrom(e.target.value)}
            placeholder="namespace/workload" autoComplete="off" spellCheck={false} aria-invalid={shown.from ? true : undefined}
            aria-describedby={shown.from ? `${id}-from-problem` : `${id}-from-help`} data-testid="trace-from"
          />
          <datalist id={`${id}-from-options`}>
            <option value="outside">a client outside the mesh</option>
            {fromSuggestions?.workloads.map((w) => <option key={w} value={w} />)}
            {fromSuggestions?.gateways.map((g) => <option key={g} value={g}>gateway proxy</option>)}
          </datalist>
          {shown.from
            ? <span className="field-problem" id={`${id}-from-problem`} role="alert">{shown.from}</span>
            : <span className="field-help" id={`${id}-from-help`}>ns/workload, gateway:ns/name or outside</span>}
        </div>
        <div className="field trace-url">
          <label htmlFor={`${id}-url`}>URL</label>
          <input
            ref={urlRef} id={`${id}-url`} name="url" type="text" inputMode="url" list={`${id}-url-options`} value={url} onChange={(e) => setUrl(e.target.value)}
            placeholder="https://en.wikipedia.org" autoComplete="off" spellCheck={false} aria-invalid={shown.url ? true : undefined}
            aria-describedby={shown.url ? `${id}-url-problem` : `${id}-url-help`} data-testid="trace-url"
          />
          <datalist id={`${id}-url-options`}>
            {urlSuggestions?.hosts.map((h) => <option key={h.url} value={h.url}>{`${h.kind} ${h.object}`}</option>)}
          </datalist>
          {shown.url
            ? <span className="field-problem" id={`${id}-url-problem`} role="alert">{shown.url}</span>
            : <span className="field-help" id={`${id}-url-help`}>http://, https://, grpc://, tls:// or tcp://host:port, with a path for HTTP</span>}
        </div>
        <div className="field trace-method">
          <label htmlFor={`${id}-method`}>Method</label>
          <select id={`${id}-method`} name="method" value={method} onChange={(e) => setMethod(e.target.value)} data-testid="trace-method">
            {TRACE_METHODS.map((m) => <option key={m} value={m}>{m}</option>)}
          </select>
        </div>
        <div className="field trace-sni">
          <label htmlFor={`${id}-sni`}>SNI</label>
          <input
            id={`${id}-sni`} name="sni" type="text" value={sni} onChange={(e) => setSni(e.target.value)} placeholder="the URL's host"
            autoComplete="off" spellCheck={false} aria-describedby={`${id}-sni-help`} data-testid="trace-sni"
          />
          <span className="field-help" id={`${id}-sni-help`}>TLS server name, for https and tls</span>
        </div>
        <button type="submit" className="primary-button trace-submit" data-testid="trace-submit">Trace</button>
      </div>
      <div className="trace-form-row trace-identity-row">
        <div className="field trace-principal">
          <label htmlFor={`${id}-principal`}>Caller identity</label>
          <input
            ref={principalRef} id={`${id}-principal`} name="principal" type="text" value={principal} onChange={(e) => setPrincipal(e.target.value)}
            placeholder="the source's service account" autoComplete="off" spellCheck={false} aria-invalid={shown.principal ? true : undefined}
            aria-describedby={shown.principal ? `${id}-principal-problem` : `${id}-principal-help`} data-testid="trace-principal"
          />
          {shown.principal
            ? <span className="field-problem" id={`${id}-principal-problem`} role="alert">{shown.principal}</span>
            : <span className="field-help" id={`${id}-principal-help`}>mTLS identity for AuthorizationPolicies: spiffe://cluster.local/ns/ns/sa/name or ns/serviceaccount (for outside callers)</span>}
        </div>
        <div className="field trace-request-principal">
          <label htmlFor={`${id}-request-principal`}>JWT principal</label>
          <input
            ref={requestPrincipalRef} id={`${id}-request-principal`} name="requestPrincipal" type="text" value={requestPrincipal} onChange={(e) => setRequestPrincipal(e.target.value)}
            placeholder="none" autoComplete="off" spellCheck={false} aria-invalid={shown.requestPrincipal ? true : undefined}
            aria-describedby={shown.requestPrincipal ? `${id}-request-principal-problem` : `${id}-request-principal-help`} data-testid="trace-request-principal"
          />
          {shown.requestPrincipal
            ? <span className="field-problem" id={`${id}-request-principal-problem`} role="alert">{shown.requestPrincipal}</span>
            : <span className="field-help" id={`${id}-request-principal-help`}>issuer/subject of the request's token</span>}
        </div>
      </div>
      <fieldset className="trace-headers" ref={headersRef} aria-describedby={shown.headers ? `${id}-headers-problem` : undefined} data-testid="trace-headers">
        <legend>Headers</legend>
        {rows.length === 0 && <span className="muted small">None.</span>}
        {rows.map((row, i) => (
          <div className="trace-header-row" key={i} data-testid="trace-header-row">
            <input
              type="text" value={row.name} onChange={(e) => setRow(i, { name: e.target.value })} aria-label={`Header ${i + 1} name`} placeholder="name"
              autoComplete="off" spellCheck={false} data-testid="trace-header-name"
            />
            <span aria-hidden="true">:</span>
            <input
              type="text" value={row.value} onChange={(e) => setRow(i, { value: e.target.value })} aria-label={`Header ${i + 1} value`} placeholder="value"
              autoComplete="off" spellCheck={false} data-testid="trace-header-value"
            />
            <button type="button" className="link-button small" onClick={() => removeRow(i)} aria-label={`Remove header ${i + 1}${row.name ? ` (${row.name})` : ''}`}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" className="link-button small" onClick={() => setRows((rs) => [...rs, { name: '', value: '' }])} data-testid="trace-add-header">
          Add header
        </button>
        {shown.headers && <span className="field-problem" id={`${id}-headers-problem`} role="alert">{shown.headers}</span>}
      </fieldset>
    </form>
  );
}
