import { describe, expect, it } from 'vitest';
import { cartNotices, type NoticeLine } from './cart-notices.js';

const line = (overrides: Partial<NoticeLine>): NoticeLine => ({
  id: 'cali_1',
  variant_id: 'var_1',
  unit_price: 1000,
  previous_unit_price: null,
  sellable: true,
  stock: { tracked: true, available: 5, in_stock: true },
  ...overrides,
});

describe('cartNotices', () => {
  it('is empty for a cart where nothing changed', () => {
    expect(cartNotices({ lines: [line({}), line({ id: 'cali_2', stock: null })] })).toEqual([]);
  });

  it('reports a price change, an empty stock and a line that can no longer be bought', () => {
    const notices = cartNotices({
      lines: [
        line({ id: 'a', variant_id: 'var_a', previous_unit_price: 1200, unit_price: 1000 }),
        line({ id: 'b', variant_id: 'var_b', stock: { tracked: true, available: 0, in_stock: false } }),
        line({ id: 'c', variant_id: 'var_c', sellable: false, unit_price: null, previous_unit_price: 900 }),
        line({ id: 'd', stock: { tracked: false, available: 0, in_stock: false } }),
      ],
    });
    expect(notices).toEqual([
      {
        type: 'price_changed',
        line_id: 'a',
        variant_id: 'var_a',
        previous_unit_price: 1200,
        unit_price: 1000,
      },
      { type: 'out_of_stock', line_id: 'b', variant_id: 'var_b', available: 0 },
      { type: 'unavailable', line_id: 'c', variant_id: 'var_c' },
    ]);
  });
});
