/** A long action's run (a compare, a capture), polled every second until it completes, and its progress line. */
import { useEffect, useState } from 'preact/hooks';
import { must, type OperationRun } from './api/client';
import { useApp } from './app-context';
import { ProblemBox } from './components';
import { label } from './format';

export const POLL_MS = 1000;

export interface RunProgressState {
  /** The run being followed, once one was started. */
  runId: string | undefined;
  run: OperationRun | undefined;
  error: unknown;
  busy: boolean;
  follow: (runId: string) => void;
  fail: (error: unknown) => void;
}

export function useRunProgress(onCompleted: () => void): RunProgressState {
  const { api } = useApp();
  const [runId, setRunId] = useState<string>();
  const [run, setRun] = useState<OperationRun>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    if (runId === undefined) return undefined;
    let stopped = false;
    const poll = async () => {
      while (!stopped) {
        try {
          const r = await must(api.GET('/operation-runs/{runId}', { params: { path: { runId } } }));
          if (stopped) return;
          setRun(r);
          if (r.status === 'completed') {
            onCompleted();
            return;
          }
        } catch (err) {
          setError(err);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    };
    void poll();
    return () => {
      stopped = true;
    };
  }, [runId]);
  return {
    runId,
    run,
    error,
    busy: runId !== undefined && (run === undefined || run.status !== 'completed') && error === undefined,
    follow: (id) => {
      setError(undefined);
      setRun(undefined);
      setRunId(id);
    },
    fail: setError,
  };
}

/** The progress line (a live region) and the problem, if any. */
export function RunProgress({ what, state }: { what: string; state: RunProgressState }) {
  const { run, runId, error } = state;
  return (
    <>
      <p role="status" aria-live="polite">
        {run ? `${what} ${run.id}: ${label(run.status)}${run.status === 'completed' ? `, ${label(run.outcome)}` : '…'}` : runId ? `${what} started…` : ''}
      </p>
      {error !== undefined ? <ProblemBox error={error} /> : null}
    </>
  );
}
