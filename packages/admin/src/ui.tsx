import { type AdminClient, isMerxError } from '@merx/sdk';
import { type ComponentChildren, createContext } from 'preact';
import { useContext, useState } from 'preact/hooks';
import { hasScope } from './access.js';
import type { Session } from './session.js';

export interface Dashboard {
  client: AdminClient;
  session: Session;
  can: (scope: string) => boolean;
}

export const DashboardContext = createContext<Dashboard | null>(null);

export function useDashboard(): Dashboard {
  const dashboard = useContext(DashboardContext);
  if (!dashboard) throw new Error('useDashboard outside <DashboardContext.Provider>');
  return dashboard;
}

export const dashboardFor = (client: AdminClient, session: Session): Dashboard => ({
  client,
  session,
  can: (scope) => hasScope(session.scopes, scope),
});

export function Page(props: { title: string; actions?: ComponentChildren; children: ComponentChildren }) {
  return (
    <>
      <header class="page-head">
        <h1 tabIndex={-1}>{props.title}</h1>
        {props.actions && <div class="actions">{props.actions}</div>}
      </header>
      {props.children}
    </>
  );
}

/** A problem+json answer as the merchant should read it: the detail, then each field. */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const detail = isMerxError(error) ? error.detail : error instanceof Error ? error.message : String(error);
  const fields = isMerxError(error) ? error.errors : [];
  return (
    <div class="error" role="alert">
      <p>{detail}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map((entry) => (
            <li key={entry.field}>
              <code>{entry.field.replace(/^\/body\//, '')}</code> {entry.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="muted" role="status">
      Loading {what}…
    </p>
  );
}

/** A labelled control: the label text names the control for screen readers and tests alike. */
export function Field(props: { label: string; hint?: string; children: ComponentChildren; wide?: boolean }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is always among the children
    <label class={props.wide ? 'field wide' : 'field'}>
      <span>{props.label}</span>
      {props.children}
      {props.hint && <small class="muted">{props.hint}</small>}
    </label>
  );
}

/** Runs one action at a time and keeps its error for display. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  async function run<T>(action: () => Promise<T>, success?: string): Promise<T | undefined> {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const result = await action();
      if (success) setDone(success);
      return result;
    } catch (caught) {
      setError(caught);
      return undefined;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, done, run, setError };
}

export function Status({ done }: { done: string | null }) {
  return (
    <p class="done" role="status" aria-live="polite">
      {done ?? ''}
    </p>
  );
}

export function Badge({ children }: { children: ComponentChildren }) {
  return <span class={`badge badge-${String(children).replace(/[^a-z_]/g, '')}`}>{children}</span>;
}
