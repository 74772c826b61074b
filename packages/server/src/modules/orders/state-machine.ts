// The order lifecycle as one pure function. The status is never set directly: it is
// derived from the facts (amounts authorised, captured, refunded; units fulfilled;
// cancelled; delivered), and an action is legal only when the facts allow it. That keeps
// the status and the money in agreement by construction.

export const ORDER_STATUSES = [
  'pending',
  'authorised',
  'paid',
  'partially_fulfilled',
  'fulfilled',
  'delivered',
  'partially_refunded',
  'refunded',
  'cancelled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Every status change `transition` can make (staying in the same status is always allowed). */
export const LEGAL_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ['authorised', 'cancelled'],
  authorised: ['paid', 'cancelled'],
  paid: ['partially_fulfilled', 'fulfilled', 'partially_refunded', 'refunded', 'cancelled'],
  partially_fulfilled: ['fulfilled', 'partially_refunded', 'refunded'],
  fulfilled: ['delivered', 'partially_refunded', 'refunded'],
  delivered: ['partially_refunded', 'refunded'],
  partially_refunded: ['refunded', 'cancelled'],
  refunded: [],
  cancelled: [],
};

export interface OrderLineState {
  id: string;
  quantity: number;
  fulfilledQuantity: number;
  returnedQuantity: number;
}

export interface OrderState {
  status: OrderStatus;
  total: number;
  /** Kept apart from the amounts: an order made free by a promotion is authorised and captured for 0. */
  authorised: boolean;
  captured: boolean;
  authorisedAmount: number;
  capturedAmount: number;
  refundedAmount: number;
  delivered: boolean;
  cancelled: boolean;
  lines: readonly OrderLineState[];
}

export interface LineQuantity {
  lineId: string;
  quantity: number;
}

export type OrderAction =
  | { type: 'authorise'; amount: number }
  /** One capture; a smaller amount releases the rest of the authorisation. */
  | { type: 'capture'; amount: number }
  | { type: 'fulfil'; lines: readonly LineQuantity[] }
  | { type: 'deliver' }
  | { type: 'refund'; amount: number }
  | { type: 'return'; lines: readonly LineQuantity[] }
  | { type: 'cancel' };

/** What the caller must carry out for the new state to be true. */
export type OrderEffect =
  | { type: 'capture_payment'; amount: number }
  | { type: 'void_payment' }
  | { type: 'refund_payment'; amount: number }
  /** Stock still held by reservations (the order was never authorised). */
  | { type: 'release_reservations' }
  /** Stock already taken from the shelf goes back. */
  | { type: 'restock'; lines: readonly LineQuantity[] };

export interface TransitionResult {
  state: OrderState;
  effects: OrderEffect[];
}

export class OrderTransitionError extends Error {
  constructor(
    readonly code: 'illegal_transition' | 'invalid_amount' | 'invalid_lines',
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function deriveStatus(state: Omit<OrderState, 'status'>): OrderStatus {
  if (state.cancelled) return 'cancelled';
  if (!state.captured) return state.authorised ? 'authorised' : 'pending';
  if (state.refundedAmount > 0) {
    return state.refundedAmount === state.capturedAmount ? 'refunded' : 'partially_refunded';
  }
  if (state.delivered) return 'delivered';
  const fulfilled = state.lines.filter((line) => line.fulfilledQuantity > 0);
  if (fulfilled.length === 0) return 'paid';
  return state.lines.every((line) => line.fulfilledQuantity === line.quantity)
    ? 'fulfilled'
    : 'partially_fulfilled';
}

const illegal = (state: OrderState, action: string, why: string) =>
  new OrderTransitionError('illegal_transition', `Cannot ${action} an order that is ${state.status}: ${why}`);

function assertAmount(amount: number, max: number, what: string): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new OrderTransitionError(
      'invalid_amount',
      `The ${what} amount must be a positive integer`,
      '/body/amount',
    );
  }
  if (amount > max) {
    throw new OrderTransitionError(
      'invalid_amount',
      `The ${what} amount ${amount} exceeds the ${max} available`,
      '/body/amount',
    );
  }
}

/** Checks a per-line quantity list against the room `roomOf` leaves on each line. */
function assertLines(
  state: OrderState,
  lines: readonly LineQuantity[],
  roomOf: (line: OrderLineState) => number,
  what: string,
): void {
  if (lines.length === 0)
    throw new OrderTransitionError('invalid_lines', `Name at least one line to ${what}`, '/body/lines');
  const seen = new Set<string>();
  lines.forEach((entry, index) => {
    const field = `/body/lines/${index}`;
    const line = state.lines.find((candidate) => candidate.id === entry.lineId);
    if (!line)
      throw new OrderTransitionError(
        'invalid_lines',
        `Line ${entry.lineId} is not on this order`,
        `${field}/line_id`,
      );
    if (seen.has(entry.lineId))
      throw new OrderTransitionError('invalid_lines', `Line ${entry.lineId} is listed twice`, field);
    seen.add(entry.lineId);
    if (!Number.isSafeInteger(entry.quantity) || entry.quantity < 1) {
      throw new OrderTransitionError(
        'invalid_lines',
        'Quantities must be positive integers',
        `${field}/quantity`,
      );
    }
    const room = roomOf(line);
    if (entry.quantity > room) {
      throw new OrderTransitionError(
        'invalid_lines',
        `Line ${entry.lineId} has only ${room} unit(s) left to ${what}`,
        `${field}/quantity`,
      );
    }
  });
}

function addToLines(
  lines: readonly OrderLineState[],
  changes: readonly LineQuantity[],
  field: 'fulfilledQuantity' | 'returnedQuantity',
): OrderLineState[] {
  return lines.map((line) => {
    const change = changes.find((entry) => entry.lineId === line.id);
    return change ? { ...line, [field]: line[field] + change.quantity } : line;
  });
}

function next(
  state: OrderState,
  changes: Partial<OrderState>,
  effects: OrderEffect[] = [],
): TransitionResult {
  const facts = { ...state, ...changes };
  return { state: { ...facts, status: deriveStatus(facts) }, effects };
}

const fullyRefunded = (state: OrderState) =>
  state.capturedAmount > 0 && state.refundedAmount === state.capturedAmount;

export function transition(state: OrderState, action: OrderAction): TransitionResult {
  if (state.cancelled) throw illegal(state, action.type, 'it is cancelled');
  switch (action.type) {
    case 'authorise': {
      if (state.status !== 'pending') throw illegal(state, 'authorise', 'it was authorised already');
      if (action.amount !== state.total) {
        throw new OrderTransitionError(
          'invalid_amount',
          `Authorised ${action.amount} but the order total is ${state.total}`,
        );
      }
      return next(state, { authorised: true, authorisedAmount: action.amount });
    }
    case 'capture': {
      if (state.status !== 'authorised')
        throw illegal(state, 'capture', 'only an authorised, uncaptured payment can be captured');
      if (state.authorisedAmount > 0) assertAmount(action.amount, state.authorisedAmount, 'capture');
      else if (action.amount !== 0) {
        throw new OrderTransitionError('invalid_amount', 'Nothing was authorised: capture 0', '/body/amount');
      }
      return next(state, { captured: true, capturedAmount: action.amount }, [
        { type: 'capture_payment', amount: action.amount },
      ]);
    }
    case 'fulfil': {
      if (!state.captured) throw illegal(state, 'fulfil', 'capture the payment first');
      if (state.delivered || fullyRefunded(state)) throw illegal(state, 'fulfil', 'nothing is left to ship');
      assertLines(state, action.lines, (line) => line.quantity - line.fulfilledQuantity, 'fulfil');
      return next(state, { lines: addToLines(state.lines, action.lines, 'fulfilledQuantity') });
    }
    case 'deliver': {
      if (state.status !== 'fulfilled') throw illegal(state, 'deliver', 'every line must be fulfilled first');
      return next(state, { delivered: true });
    }
    case 'refund': {
      if (state.capturedAmount === 0) throw illegal(state, 'refund', 'nothing was captured');
      assertAmount(action.amount, state.capturedAmount - state.refundedAmount, 'refund');
      return next(state, { refundedAmount: state.refundedAmount + action.amount }, [
        { type: 'refund_payment', amount: action.amount },
      ]);
    }
    case 'return': {
      assertLines(state, action.lines, (line) => line.fulfilledQuantity - line.returnedQuantity, 'return');
      return next(state, { lines: addToLines(state.lines, action.lines, 'returnedQuantity') }, [
        { type: 'restock', lines: action.lines },
      ]);
    }
    case 'cancel':
      return cancel(state);
  }
}

function cancel(state: OrderState): TransitionResult {
  if (state.lines.some((line) => line.fulfilledQuantity > 0)) {
    throw illegal(state, 'cancel', 'part of it shipped; refund and return instead');
  }
  if (fullyRefunded(state)) throw illegal(state, 'cancel', 'it was refunded in full');
  const effects: OrderEffect[] = [];
  const outstanding = state.capturedAmount - state.refundedAmount;
  if (outstanding > 0) effects.push({ type: 'refund_payment', amount: outstanding });
  else if (state.authorised && !state.captured) effects.push({ type: 'void_payment' });
  effects.push(
    !state.authorised
      ? { type: 'release_reservations' }
      : { type: 'restock', lines: state.lines.map((line) => ({ lineId: line.id, quantity: line.quantity })) },
  );
  return next(state, { cancelled: true, refundedAmount: state.capturedAmount }, effects);
}
