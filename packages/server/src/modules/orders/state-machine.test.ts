import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deriveStatus,
  LEGAL_TRANSITIONS,
  type OrderAction,
  type OrderState,
  OrderTransitionError,
  transition,
} from './state-machine.js';

const placed: OrderState = {
  status: 'pending',
  total: 10_000,
  authorised: false,
  captured: false,
  authorisedAmount: 0,
  capturedAmount: 0,
  refundedAmount: 0,
  delivered: false,
  cancelled: false,
  lines: [
    { id: 'a', quantity: 2, fulfilledQuantity: 0, returnedQuantity: 0 },
    { id: 'b', quantity: 1, fulfilledQuantity: 0, returnedQuantity: 0 },
  ],
};

function run(state: OrderState, ...actions: OrderAction[]): OrderState {
  return actions.reduce((current, action) => transition(current, action).state, state);
}

const paid = run(placed, { type: 'authorise', amount: 10_000 }, { type: 'capture', amount: 10_000 });

function refusal(state: OrderState, action: OrderAction): OrderTransitionError {
  try {
    transition(state, action);
  } catch (error) {
    if (error instanceof OrderTransitionError) return error;
    throw error;
  }
  throw new Error(`expected ${action.type} to be refused from ${state.status}`);
}

describe('order lifecycle', () => {
  it('walks the happy path pending → authorised → paid → partially fulfilled → fulfilled → delivered', () => {
    const authorised = run(placed, { type: 'authorise', amount: 10_000 });
    expect(authorised.status).toBe('authorised');
    expect(paid.status).toBe('paid');
    const part = run(paid, { type: 'fulfil', lines: [{ lineId: 'a', quantity: 1 }] });
    expect(part.status).toBe('partially_fulfilled');
    const all = run(part, {
      type: 'fulfil',
      lines: [
        { lineId: 'a', quantity: 1 },
        { lineId: 'b', quantity: 1 },
      ],
    });
    expect(all.status).toBe('fulfilled');
    expect(run(all, { type: 'deliver' }).status).toBe('delivered');
  });

  it('asks the caller to capture, refund, void and move stock as effects', () => {
    const authorised = run(placed, { type: 'authorise', amount: 10_000 });
    expect(transition(authorised, { type: 'capture', amount: 8000 }).effects).toEqual([
      { type: 'capture_payment', amount: 8000 },
    ]);
    expect(transition(authorised, { type: 'cancel' }).effects).toEqual([
      { type: 'void_payment' },
      {
        type: 'restock',
        lines: [
          { lineId: 'a', quantity: 2 },
          { lineId: 'b', quantity: 1 },
        ],
      },
    ]);
    expect(transition(placed, { type: 'cancel' }).effects).toEqual([{ type: 'release_reservations' }]);
    const halfRefunded = run(paid, { type: 'refund', amount: 4000 });
    const cancelled = transition(halfRefunded, { type: 'cancel' });
    expect(cancelled.state).toMatchObject({ status: 'cancelled', refundedAmount: 10_000 });
    expect(cancelled.effects[0]).toEqual({ type: 'refund_payment', amount: 6000 });
  });

  it('captures partially once and never refunds more than was captured', () => {
    const captured = run(placed, { type: 'authorise', amount: 10_000 }, { type: 'capture', amount: 7000 });
    expect(captured).toMatchObject({ status: 'paid', capturedAmount: 7000 });
    expect(refusal(captured, { type: 'capture', amount: 1000 }).code).toBe('illegal_transition');
    const partly = run(captured, { type: 'refund', amount: 3000 });
    expect(partly.status).toBe('partially_refunded');
    expect(refusal(partly, { type: 'refund', amount: 4001 })).toMatchObject({
      code: 'invalid_amount',
      field: '/body/amount',
    });
    expect(run(partly, { type: 'refund', amount: 4000 }).status).toBe('refunded');
  });

  it('takes a free order (total 0) through authorise and capture to paid', () => {
    const free = { ...placed, total: 0 };
    const authorised = run(free, { type: 'authorise', amount: 0 });
    expect(authorised.status).toBe('authorised');
    expect(refusal(authorised, { type: 'capture', amount: 1 }).code).toBe('invalid_amount');
    const paidFree = run(authorised, { type: 'capture', amount: 0 });
    expect(paidFree.status).toBe('paid');
    expect(run(paidFree, { type: 'fulfil', lines: [{ lineId: 'b', quantity: 1 }] }).status).toBe(
      'partially_fulfilled',
    );
    expect(refusal(paidFree, { type: 'refund', amount: 1 }).code).toBe('illegal_transition');
    expect(transition(run(free, { type: 'authorise', amount: 0 }), { type: 'cancel' }).effects[0]).toEqual({
      type: 'void_payment',
    });
  });

  it('refuses illegal moves with a reason', () => {
    expect(refusal(placed, { type: 'capture', amount: 1 }).message).toMatch(/pending/);
    expect(refusal(placed, { type: 'fulfil', lines: [{ lineId: 'a', quantity: 1 }] }).code).toBe(
      'illegal_transition',
    );
    expect(refusal(paid, { type: 'deliver' }).code).toBe('illegal_transition');
    expect(refusal(placed, { type: 'authorise', amount: 9999 }).code).toBe('invalid_amount');
    const shipped = run(paid, { type: 'fulfil', lines: [{ lineId: 'b', quantity: 1 }] });
    expect(refusal(shipped, { type: 'cancel' }).message).toMatch(/refund and return/);
    const cancelled = run(placed, { type: 'cancel' });
    expect(refusal(cancelled, { type: 'authorise', amount: 10_000 }).message).toMatch(/cancelled/);
  });

  it('checks fulfilment and return quantities per line', () => {
    expect(refusal(paid, { type: 'fulfil', lines: [{ lineId: 'a', quantity: 3 }] })).toMatchObject({
      code: 'invalid_lines',
      field: '/body/lines/0/quantity',
    });
    expect(refusal(paid, { type: 'fulfil', lines: [{ lineId: 'zz', quantity: 1 }] }).field).toBe(
      '/body/lines/0/line_id',
    );
    expect(refusal(paid, { type: 'fulfil', lines: [] }).code).toBe('invalid_lines');
    expect(
      refusal(paid, {
        type: 'fulfil',
        lines: [
          { lineId: 'a', quantity: 1 },
          { lineId: 'a', quantity: 1 },
        ],
      }).message,
    ).toMatch(/twice/);
    const shipped = run(paid, { type: 'fulfil', lines: [{ lineId: 'a', quantity: 1 }] });
    expect(refusal(shipped, { type: 'return', lines: [{ lineId: 'a', quantity: 2 }] }).code).toBe(
      'invalid_lines',
    );
    const returned = transition(shipped, { type: 'return', lines: [{ lineId: 'a', quantity: 1 }] });
    expect(returned.effects).toEqual([{ type: 'restock', lines: [{ lineId: 'a', quantity: 1 }] }]);
    expect(returned.state.lines[0].returnedQuantity).toBe(1);
  });
});

const lineIds = ['a', 'b'];
const arbitraryAction: fc.Arbitrary<OrderAction> = fc.oneof(
  fc.constant<OrderAction>({ type: 'authorise', amount: 10_000 }),
  fc.integer({ min: -10, max: 12_000 }).map<OrderAction>((amount) => ({ type: 'capture', amount })),
  fc.integer({ min: -10, max: 12_000 }).map<OrderAction>((amount) => ({ type: 'refund', amount })),
  fc
    .array(
      fc.record({ lineId: fc.constantFrom(...lineIds, 'x'), quantity: fc.integer({ min: -1, max: 3 }) }),
      {
        maxLength: 3,
      },
    )
    .map<OrderAction>((lines) => ({ type: 'fulfil', lines })),
  fc
    .array(fc.record({ lineId: fc.constantFrom(...lineIds), quantity: fc.integer({ min: 0, max: 2 }) }), {
      maxLength: 2,
    })
    .map<OrderAction>((lines) => ({ type: 'return', lines })),
  fc.constant<OrderAction>({ type: 'deliver' }),
  fc.constant<OrderAction>({ type: 'cancel' }),
);

describe('order lifecycle properties', () => {
  it('only ever makes legal moves and keeps the money and units consistent', () => {
    fc.assert(
      fc.property(fc.array(arbitraryAction, { maxLength: 25 }), (actions) => {
        let state = placed;
        for (const action of actions) {
          let result: ReturnType<typeof transition>;
          try {
            result = transition(state, action);
          } catch (error) {
            expect(error).toBeInstanceOf(OrderTransitionError);
            continue;
          }
          const before = state.status;
          state = result.state;
          if (state.status !== before) expect(LEGAL_TRANSITIONS[before]).toContain(state.status);
          expect(state.status).toBe(deriveStatus(state));
          expect(state.refundedAmount).toBeLessThanOrEqual(state.capturedAmount);
          expect(state.capturedAmount).toBeLessThanOrEqual(state.authorisedAmount);
          expect(state.authorisedAmount).toBeLessThanOrEqual(state.total);
          if (state.captured) expect(state.authorised).toBe(true);
          for (const line of state.lines) {
            expect(line.fulfilledQuantity).toBeLessThanOrEqual(line.quantity);
            expect(line.returnedQuantity).toBeLessThanOrEqual(line.fulfilledQuantity);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('terminal statuses accept nothing', () => {
    const refunded = run(paid, { type: 'refund', amount: 10_000 });
    expect(refunded.status).toBe('refunded');
    for (const action of [
      { type: 'cancel' },
      { type: 'deliver' },
      { type: 'refund', amount: 1 },
    ] as OrderAction[]) {
      expect(() => transition(refunded, action)).toThrow(OrderTransitionError);
    }
  });
});
