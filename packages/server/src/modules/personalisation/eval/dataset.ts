import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import type { ProductId } from '../algorithms/types.js';

/** One purchase invoice: the distinct products on it, in first-seen order. */
export interface Basket {
  readonly invoiceNo: string;
  readonly customerId: string;
  /** Epoch milliseconds. */
  readonly at: number;
  readonly productIds: readonly ProductId[];
}

export interface RetailDataset {
  readonly csvPath: string;
  /** Purchase baskets ordered by time, then invoice number. */
  readonly baskets: readonly Basket[];
  readonly titles: ReadonlyMap<ProductId, string>;
  readonly rows: RowCounts;
}

export interface RowCounts {
  read: number;
  kept: number;
  cancellation: number;
  nonPositiveQuantity: number;
  nonProductCode: number;
}

interface RetailRow {
  InvoiceNo: string;
  StockCode: string;
  Description: string;
  Quantity: string;
  InvoiceDate: string;
  CustomerID: string;
}

/**
 * Products carry five-digit stock codes, optionally with a letter suffix for a variant
 * (85123A). Everything else is a service line, not a product: POST, D (discount), M (manual),
 * C2 (carriage), DOT, BANK CHARGES, AMAZONFEE, CRUK, PADS, S, B, gift vouchers…
 */
export function isProductStockCode(stockCode: string): boolean {
  return /^\d{5}[A-Za-z]*$/.test(stockCode);
}

/**
 * Reads the UCI "Online Retail" order lines (a csv file, or a folder holding exactly one) into
 * purchase baskets, dropping cancellations (invoice prefix C), non-positive quantities and
 * non-product stock codes. `maxRows` stops after that many data rows (file order).
 */
export async function loadOnlineRetail(
  path: string,
  maxRows = Number.POSITIVE_INFINITY,
): Promise<RetailDataset> {
  const csvPath = await resolveCsv(path);
  const rows: RowCounts = { read: 0, kept: 0, cancellation: 0, nonPositiveQuantity: 0, nonProductCode: 0 };
  const byInvoice = new Map<string, { customerId: string; at: number; productIds: Set<ProductId> }>();
  const titles = new Map<ProductId, string>();

  const records = createReadStream(csvPath).pipe(parse({ columns: true, skip_empty_lines: true, bom: true }));
  for await (const row of records as AsyncIterable<RetailRow>) {
    if (rows.read >= maxRows) break;
    rows.read++;
    if (row.InvoiceNo.startsWith('C')) rows.cancellation++;
    else if (!(Number(row.Quantity) > 0)) rows.nonPositiveQuantity++;
    else if (!isProductStockCode(row.StockCode)) rows.nonProductCode++;
    else {
      rows.kept++;
      let basket = byInvoice.get(row.InvoiceNo);
      if (!basket) {
        basket = { customerId: row.CustomerID, at: parseInvoiceDate(row.InvoiceDate), productIds: new Set() };
        byInvoice.set(row.InvoiceNo, basket);
      }
      basket.productIds.add(row.StockCode);
      if (!titles.has(row.StockCode)) titles.set(row.StockCode, row.Description.replaceAll('_', ' '));
    }
  }

  const baskets = [...byInvoice].map(([invoiceNo, basket]) => ({
    invoiceNo,
    customerId: basket.customerId,
    at: basket.at,
    productIds: [...basket.productIds],
  }));
  baskets.sort((a, b) => a.at - b.at || a.invoiceNo.localeCompare(b.invoiceNo));
  return { csvPath, baskets, titles, rows };
}

async function resolveCsv(path: string): Promise<string> {
  if (!(await stat(path)).isDirectory()) return path;
  const csvFiles = (await readdir(path)).filter((name) => name.toLowerCase().endsWith('.csv'));
  if (csvFiles.length !== 1) {
    throw new Error(`${path} must hold exactly one .csv file, found ${csvFiles.length}`);
  }
  return join(path, csvFiles[0]);
}

/** "2010-12-01 08:26:00", local shop time; read as UTC, which keeps order and gaps exact. */
function parseInvoiceDate(value: string): number {
  const at = Date.parse(`${value.replace(' ', 'T')}Z`);
  if (Number.isNaN(at)) throw new Error(`unreadable InvoiceDate "${value}"`);
  return at;
}
