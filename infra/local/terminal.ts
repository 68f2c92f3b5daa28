/**
 * What the `drift` command shows a person: tables (cli-table3, a small, widely used renderer that
 * handles column widths and wrapping, so results read as tables without a hand-written layout) and a
 * progress line on stderr, only when stderr is a terminal and never in `--format json` output.
 */
import Table from 'cli-table3';

export type OutputFormat = 'table' | 'json';

export function renderTable(head: string[], rows: (string | number)[][]): string {
  const table = new Table({ head, style: { head: [], border: [] } });
  for (const row of rows) table.push(row.map((cell) => String(cell)));
  return table.toString();
}

export interface Progress {
  update(text: string): void;
  done(): void;
}

/** A single rewritten status line on stderr; silent when stderr is not a terminal or output is JSON. */
export function progress(format: OutputFormat, stream: NodeJS.WriteStream = process.stderr): Progress {
  const enabled = format !== 'json' && stream.isTTY === true;
  let shown = false;
  return {
    update(text) {
      if (!enabled) return;
      stream.write(`\r\x1b[2K${text}`);
      shown = true;
    },
    done() {
      if (enabled && shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}

/** The default format: a table on a terminal, JSON when piped. */
export function defaultFormat(): OutputFormat {
  return process.stdout.isTTY ? 'table' : 'json';
}

export function parseFormat(value: string): OutputFormat {
  if (value === 'table' || value === 'json') return value;
  throw new UsageError(`--format must be "table" or "json", not "${value}"`);
}

/** A mistake in how the command was called: exit 2 with the message and a hint. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
