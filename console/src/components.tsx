/** Building blocks shared by the views: badges with text, problems, loading, page titles, the diff. */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiProblem } from './api/client';
import type { DiffRow, DiffValue } from './diff';
import { label, tone } from './format';

/** A state as colour and text (never colour alone). */
export function Badge({ value, text }: { value: string; text?: string }) {
  return <span class={`badge tone-${tone(value)}`}>{text ?? label(value)}</span>;
}

export function ProblemBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const p = error instanceof ApiProblem ? error : undefined;
  const title = p?.title ?? 'Something went wrong';
  const detail = p?.detail ?? (error instanceof Error ? error.message : String(error));
  return (
    <div class="problem" role="alert">
      <p class="problem-title">
        <strong>{title}</strong>
        {p && p.status > 0 ? <span class="problem-status"> (HTTP {p.status})</span> : null}
      </p>
      {detail ? <p class="problem-detail">{detail}</p> : null}
      {p?.extra.errors?.length ? (
        <ul>
          {p.extra.errors.map((e) => (
            <li key={e.path}>
              <code>{e.path}</code>: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
      {p?.extra.allowed?.length ? <p>Allowed from here: {p.extra.allowed.map((a) => label(a)).join(', ')}</p> : null}
      {p?.extra.requestId ? <p class="muted">Request id {p.extra.requestId}</p> : null}
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Loads `fn` whenever `deps` change; the last call wins. */
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    fn().then(
      (data) => live && setState({ data, error: undefined, loading: false }),
      (error: unknown) => live && setState({ data: undefined, error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return { ...state, reload };
}

/** Renders a load: loading, its problem (with retry) or the content. */
export function Load<T>({ state, what, children }: { state: Loaded<T>; what: string; children: (data: T) => ComponentChildren }) {
  if (state.error !== undefined) return <ProblemBox error={state.error} onRetry={state.reload} />;
  if (state.data === undefined) return <Loading what={what} />;
  return <>{children(state.data)}</>;
}

/** The page's heading; focused when the page opens so keyboard and screen reader users start there. */
export function PageTitle({ children }: { children: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
    document.title = `${ref.current?.textContent ?? ''} · Baseline Drift Engine`;
  }, []);
  return (
    <h1 tabIndex={-1} ref={ref}>
      {children}
    </h1>
  );
}

function ValueCell({ value, side }: { value: DiffValue; side: string }) {
  if (value.absent) return <td class="value absent">{value.text}</td>;
  return (
    <td class={`value${value.secret ? ' secret' : ''}`}>
      {value.secret ? <span class="badge tone-muted">Secret</span> : null}
      <pre>{value.text}</pre>
      {value.full !== undefined && !value.secret ? (
        <details>
          <summary>Show the whole {side} value</summary>
          <pre>{value.full}</pre>
        </details>
      ) : null}
      {value.secret && value.full !== undefined ? <span class="visually-hidden">Full digest {value.full}</span> : null}
    </td>
  );
}

/** The drifted properties side by side: setting, kind, baseline, current. */
export function DiffTable({ rows, truncated }: { rows: DiffRow[]; truncated: boolean }) {
  return (
    <DataTable class="diff" caption={`Drifted properties (${rows.length}${truncated ? ', the list was cut at the evidence limit' : ''})`} columns={['Setting', 'Change', 'Baseline', 'Current']}>
        {rows.map((r) => (
          <tr key={`${r.dimension}:${r.path}`} class={`kind-${r.kind}`}>
            <th scope="row">
              <span class="setting">{r.label}</span>
              <code class="path">{r.path}</code>
              {r.dimension !== 'settings' ? <span class="muted"> ({r.dimension})</span> : null}
            </th>
            <td>
              <Badge value={r.kind === 'changed' ? 'different_version' : r.kind === 'added' ? 'unexpected_policy' : 'missing_policy'} text={r.kindLabel} />
            </td>
            <ValueCell value={r.baseline} side="baseline" />
            <ValueCell value={r.current} side="current" />
          </tr>
        ))}
      </DataTable>
  );
}

/** A tenant as a person reads it: its name when the API knows it, always its id. */
export function TenantLabel({ tenantId, name }: { tenantId: string; name: string }) {
  return (
    <>
      {name !== tenantId ? <span class="tenant-name">{name}</span> : null}
      <code class={name !== tenantId ? 'id' : 'id tenant-name'}>{tenantId}</code>
    </>
  );
}

/** A table with its caption and column headings; the rows are the children. */
export function DataTable({ caption, columns, class: cls = 'data', children }: { caption: ComponentChildren; columns: ComponentChildren[]; class?: string; children: ComponentChildren }) {
  return (
    <table class={cls}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          {columns.map((c, i) => (
            <th key={i} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

/** A page's heading and the link beside it (to the page it belongs to). */
export function PageHeader({ title, link }: { title: ComponentChildren; link: { href: string; text: string } }) {
  return (
    <>
      <PageTitle>{title}</PageTitle>
      <p>
        <a href={link.href}>{link.text}</a>
      </p>
    </>
  );
}

/** A form of one action, grouped under its legend; submitting never reloads the page. */
export function ActionForm({ legend, class: cls, onSubmit, children }: { legend: ComponentChildren; class?: string; onSubmit: () => void; children: ComponentChildren }) {
  return (
    <form
      {...(cls !== undefined ? { class: cls } : {})}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <fieldset>
        <legend>{legend}</legend>
        {children}
      </fieldset>
    </form>
  );
}

/** A labelled select; `any` adds a first option with the empty value. */
export function SelectField({
  id,
  text,
  value,
  options,
  onChange,
  any,
}: {
  id: string;
  text: string;
  value: string;
  options: readonly { value: string; text: string }[];
  onChange: (value: string) => void;
  any?: string;
}) {
  return (
    <div class="field">
      <label for={id}>{text}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {any !== undefined ? <option value="">{any}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.text}
          </option>
        ))}
      </select>
    </div>
  );
}

/** What an action came to: its message for screen readers and eyes, or its problem. */
export function ActionOutcome({ done, error }: { done: string | undefined; error: unknown }) {
  return (
    <>
      <p role="status" aria-live="polite">
        {done ?? ''}
      </p>
      {error !== undefined ? <ProblemBox error={error} /> : null}
    </>
  );
}
