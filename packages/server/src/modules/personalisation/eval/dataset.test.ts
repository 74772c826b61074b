import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProductStockCode, loadOnlineRetail } from './dataset.js';

const CSV = `InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
536365,85123A,WHITE_HANGING_HEART_T_LIGHT_HOLDER,6,2010-12-01 08:26:00,2.55,17850,United_Kingdom
536365,71053,WHITE_METAL_LANTERN,6,2010-12-01 08:26:00,3.39,17850,United_Kingdom
536365,POST,POSTAGE,1,2010-12-01 08:26:00,18.0,17850,United_Kingdom
536365,85123A,WHITE_HANGING_HEART_T_LIGHT_HOLDER,2,2010-12-01 08:26:00,2.55,17850,United_Kingdom
C536379,71053,WHITE_METAL_LANTERN,-1,2010-12-01 09:41:00,3.39,17850,United_Kingdom
536380,22041,"RECORD_FRAME_7""_SINGLE_SIZE",0,2010-12-01 09:30:00,2.1,14688,United_Kingdom
536370,22728,"ALARM_CLOCK,_PINK",24,2010-12-01 08:45:00,3.75,12583,France
536381,BANK CHARGES,Bank_Charges,1,2010-12-01 09:50:00,15.0,12583,France
536382,15056bl,EDWARDIAN_PARASOL_BLACK,1,2010-12-01 10:00:00,5.95,12583,France
`;

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'merx-retail-'));
  await writeFile(join(folder, 'online_retail.csv'), CSV);
});
afterAll(() => rm(folder, { recursive: true, force: true }));

describe('isProductStockCode', () => {
  it('accepts five digits with an optional variant suffix, nothing else', () => {
    for (const code of ['85123A', '71053', '15056bl', '47566B']) expect(isProductStockCode(code)).toBe(true);
    for (const code of [
      'POST',
      'D',
      'M',
      'C2',
      'DOT',
      'BANK CHARGES',
      'AMAZONFEE',
      'CRUK',
      'PADS',
      'S',
      'B',
      'gift_0001_10',
    ]) {
      expect(isProductStockCode(code)).toBe(false);
    }
  });
});

describe('loadOnlineRetail', () => {
  it('keeps purchase lines of products, one basket per invoice, in time order', async () => {
    const dataset = await loadOnlineRetail(join(folder, 'online_retail.csv'));
    expect(dataset.rows).toEqual({
      read: 9,
      kept: 5,
      cancellation: 1,
      nonPositiveQuantity: 1,
      nonProductCode: 2,
    });
    expect(dataset.baskets).toEqual([
      {
        invoiceNo: '536365',
        customerId: '17850',
        at: Date.UTC(2010, 11, 1, 8, 26),
        productIds: ['85123A', '71053'],
      },
      { invoiceNo: '536370', customerId: '12583', at: Date.UTC(2010, 11, 1, 8, 45), productIds: ['22728'] },
      { invoiceNo: '536382', customerId: '12583', at: Date.UTC(2010, 11, 1, 10), productIds: ['15056bl'] },
    ]);
    expect(dataset.titles.get('22728')).toBe('ALARM CLOCK, PINK');
  });

  it('accepts the folder instead of the file, and stops after maxRows', async () => {
    const dataset = await loadOnlineRetail(folder, 3);
    expect(dataset.csvPath).toBe(join(folder, 'online_retail.csv'));
    expect(dataset.rows.read).toBe(3);
    expect(dataset.baskets).toHaveLength(1);
  });
});
