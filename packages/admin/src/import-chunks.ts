/**
 * Splits an import file into requests of a few products each, so the dashboard can show
 * real progress and one slow request never holds the whole file. The server imports each
 * product atomically and reports errors by line; every chunk remembers where it starts so
 * those lines are mapped back to the file the merchant uploaded.
 */

export type ImportFormat = 'jsonl' | 'csv';

export interface ImportChunk {
  body: string;
  /** Products (JSON Lines records, or CSV handles) in this chunk. */
  products: number;
  /** Add to a line number the server reports for this chunk to get the line in the file. */
  lineOffset: number;
}

export const formatOf = (fileName: string): ImportFormat | null =>
  /\.csv$/i.test(fileName) ? 'csv' : /\.(jsonl|ndjson|json)$/i.test(fileName) ? 'jsonl' : null;

export function splitJsonLines(text: string, perChunk: number): ImportChunk[] {
  const lines = text.split('\n');
  const chunks: ImportChunk[] = [];
  let start = 0;
  let products = 0;
  for (let index = 0; index < lines.length; index++) {
    if (lines[index].trim() !== '') products++;
    const last = index === lines.length - 1;
    if (products === perChunk || (last && products > 0)) {
      chunks.push({ body: lines.slice(start, index + 1).join('\n'), products, lineOffset: start });
      start = index + 1;
      products = 0;
    }
  }
  return chunks;
}

/** CSV records with the line each starts on; a quoted field may span lines. */
export function csvRecords(text: string): Array<{ text: string; line: number; lines: number }> {
  const records: Array<{ text: string; line: number; lines: number }> = [];
  let quoted = false;
  let start = 0;
  let line = 1;
  let startLine = 1;
  for (let index = 0; index <= text.length; index++) {
    const char = text[index];
    if (char === '"') quoted = !quoted;
    if (index === text.length || (char === '\n' && !quoted)) {
      const record = text.slice(start, index).replace(/\r$/, '');
      if (record.trim() !== '' || index < text.length)
        records.push({ text: record, line: startLine, lines: line - startLine + 1 });
      start = index + 1;
      startLine = line + 1;
    }
    if (char === '\n') line++;
  }
  return records.filter((record) => record.text.trim() !== '');
}

/** The fields of one CSV record (RFC 4180 quoting). */
export function csvFields(record: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < record.length; index++) {
    const char = record[index];
    if (quoted) {
      if (char === '"' && record[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields;
}

/**
 * CSV rows are grouped by `handle` (one row per variant): a product's rows stay together in
 * one chunk, each chunk repeats the header. A file whose product rows are not consecutive
 * goes in one piece, because splitting it would let a later chunk replace the product.
 */
export function splitCsv(text: string, perChunk: number): ImportChunk[] {
  const [header, ...rows] = csvRecords(text);
  if (!header) return [];
  const handleColumn = csvFields(header.text).indexOf('handle');
  const handleOf = (row: { text: string }) => csvFields(row.text)[handleColumn] ?? '';
  const handles = rows.map(handleOf);
  const whole = [{ body: text, products: new Set(handles).size, lineOffset: 0 }];
  if (handleColumn < 0 || rows.length === 0) return whole;
  const seen = new Set<string>();
  for (const [index, handle] of handles.entries()) {
    if (handle !== handles[index - 1] && seen.has(handle)) return whole;
    seen.add(handle);
  }
  const chunks: ImportChunk[] = [];
  let first = 0;
  let products = 0;
  for (let index = 0; index < rows.length; index++) {
    if (index === 0 || handles[index] !== handles[index - 1]) products++;
    const endsProduct = index === rows.length - 1 || handles[index + 1] !== handles[index];
    if (endsProduct && (products === perChunk || index === rows.length - 1)) {
      const part = rows.slice(first, index + 1);
      chunks.push({
        body: [header, ...part].map((record) => record.text).join('\n'),
        products,
        // The chunk's header takes the header's lines; its rows follow at their own offsets.
        lineOffset: part[0].line - (header.line + header.lines),
      });
      first = index + 1;
      products = 0;
    }
  }
  return chunks;
}

export function splitImport(text: string, format: ImportFormat, perChunk = 50): ImportChunk[] {
  return format === 'csv' ? splitCsv(text, perChunk) : splitJsonLines(text, perChunk);
}
