import { useCallback, useEffect, useState } from 'preact/hooks';

export type Async<T> =
  | { status: 'loading'; data?: T; error?: undefined }
  | { status: 'done'; data: T; error?: undefined }
  | { status: 'error'; data?: T; error: unknown };

/** Runs `load` when `deps` change (and on `reload()`); a stale answer is dropped. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): Async<T> & { reload: () => void } {
  const [state, setState] = useState<Async<T>>({ status: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    setState((previous) => ({ status: 'loading', data: previous.data }));
    load().then(
      (data) => live && setState({ status: 'done', data }),
      (error) => live && setState({ status: 'error', error }),
    );
    return () => {
      live = false;
    };
  }, [...deps, round]);
  const reload = useCallback(() => setRound((value) => value + 1), []);
  return { ...state, reload };
}
