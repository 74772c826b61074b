import { useState } from 'preact/hooks';
import { formatOf, type ImportFormat, splitImport } from '../import-chunks.js';
import { ErrorNote, Field, Page, useDashboard } from '../ui.js';

interface RowError {
  line: number;
  handle: string | null;
  field: string;
  message: string;
}

interface Progress {
  done: number;
  total: number;
  created: number;
  updated: number;
  failed: number;
  errors: RowError[];
  finished: boolean;
}

const CONTENT_TYPES: Record<ImportFormat, string> = { jsonl: 'application/x-ndjson', csv: 'text/csv' };

export function ImportPage() {
  const { client } = useDashboard();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<unknown>(null);

  const start = async (event: Event) => {
    event.preventDefault();
    setError(null);
    if (!file) return;
    const format = formatOf(file.name);
    if (!format) return setError(new Error('Choose a .jsonl (JSON Lines) or .csv file'));
    const chunks = splitImport(await file.text(), format);
    const total = chunks.reduce((sum, chunk) => sum + chunk.products, 0);
    let state: Progress = { done: 0, total, created: 0, updated: 0, failed: 0, errors: [], finished: false };
    setProgress(state);
    for (const chunk of chunks) {
      try {
        const report = await client.post('/admin/v1/products/import', {
          body: chunk.body,
          bodySerializer: (body: string) => body,
          headers: { 'content-type': CONTENT_TYPES[format] },
        });
        state = {
          ...state,
          done: state.done + chunk.products,
          created: state.created + report.created,
          updated: state.updated + report.updated,
          failed: state.failed + report.failed,
          errors: [
            ...state.errors,
            ...report.errors.flatMap((entry) =>
              entry.errors.map((fieldError) => ({
                line: entry.line + chunk.lineOffset,
                handle: entry.handle,
                field: fieldError.field,
                message: fieldError.message,
              })),
            ),
          ],
        };
        setProgress(state);
      } catch (caught) {
        // A whole request refused (e.g. a bad CSV header) stops the import: later chunks would fail alike.
        setError(caught);
        break;
      }
    }
    setProgress({ ...state, finished: true });
  };

  const running = progress !== null && !progress.finished;
  return (
    <Page title="Bulk import">
      <form class="card form" onSubmit={start}>
        <p class="wide muted">
          JSON Lines (one product per line) or CSV (one row per variant, grouped by handle), in the format of
          the catalog export. Each product is imported whole or not at all; products are matched by handle.
        </p>
        <Field label="Import file" hint=".jsonl or .csv" wide>
          <input
            type="file"
            accept=".jsonl,.ndjson,.csv"
            required
            onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
          />
        </Field>
        <button type="submit" disabled={!file || running}>
          {running ? 'Importing…' : 'Import'}
        </button>
      </form>
      <ErrorNote error={error} />
      {progress && (
        <section class="card" aria-labelledby="progress-title">
          <h2 id="progress-title">{progress.finished ? 'Import finished' : 'Importing'}</h2>
          <label class="field wide">
            <span>
              {progress.done} of {progress.total} products
            </span>
            <progress max={progress.total || 1} value={progress.done} />
          </label>
          <p role="status">
            {progress.created} created · {progress.updated} updated · {progress.failed} failed
          </p>
          {progress.errors.length > 0 && (
            <table>
              <caption>Rows that were not imported</caption>
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Handle</th>
                  <th scope="col">Field</th>
                  <th scope="col">Problem</th>
                </tr>
              </thead>
              <tbody>
                {progress.errors.map((row, index) => (
                  <tr key={`${row.line}-${index}`}>
                    <td>{row.line}</td>
                    <td>{row.handle ?? '—'}</td>
                    <td>
                      <code>{row.field}</code>
                    </td>
                    <td>{row.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </Page>
  );
}
