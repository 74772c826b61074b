import type { Cart } from '@merx/sdk';
import { isMerxError } from '@merx/sdk';
import { useEffect, useState } from 'preact/hooks';
import { useShop } from '../context.js';
import { money } from '../format.js';
import { Link, navigate } from '../router.js';
import { errorMessage, useShopState } from '../shop.js';
import { AddressFields, type AddressInput, emptyAddress, toApiAddress } from './address-fields.js';

/** The test provider's documented card tokens a shopper can pick in this demo shop. */
const TEST_CARDS = [
  ['tok_visa', 'Visa ending 4242 (succeeds)'],
  ['tok_declined', 'Card that is declined'],
  ['tok_3ds', 'Card that needs 3-D Secure confirmation'],
] as const;

interface ShippingOption {
  id: string;
  name: string;
  amount: number;
  currency: string;
  selected: boolean;
}

function fromCart(cart: Pick<Cart, 'shipping_address'> | null): AddressInput {
  const address = cart?.shipping_address;
  if (!address) return emptyAddress;
  return {
    first_name: address.first_name ?? '',
    last_name: address.last_name ?? '',
    line1: address.line1,
    line2: address.line2 ?? '',
    city: address.city,
    postal_code: address.postal_code ?? '',
    country: address.country,
  };
}

export function CheckoutPage() {
  const shop = useShop();
  const { cart, customer } = useShopState(shop);
  const [email, setEmail] = useState(cart?.email ?? customer?.email ?? '');
  const [address, setAddress] = useState<AddressInput>(() => fromCart(cart));
  const [options, setOptions] = useState<ShippingOption[] | null>(null);
  const [code, setCode] = useState('');
  const [card, setCard] = useState<string>('tok_visa');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (customer && !email) setEmail(customer.email);
  }, [customer, email]);

  // A signed-in shopper starts from their default (or first) saved address.
  useEffect(() => {
    if (!customer || cart?.shipping_address) return;
    let current = true;
    shop.store
      .get('/store/v1/customers/me/addresses')
      .then(({ data }) => {
        const saved = data.find((entry) => entry.is_default_shipping) ?? data[0];
        if (current && saved) setAddress(fromCart({ shipping_address: saved }));
      })
      .catch(() => {});
    return () => {
      current = false;
    };
  }, [customer, shop, cart?.shipping_address]);

  if (!cart || cart.lines.length === 0) {
    return (
      <section>
        <h1 tabIndex={-1}>Checkout</h1>
        <p>Your cart is empty.</p>
        <Link href="/">Continue shopping</Link>
      </section>
    );
  }

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError('');
    try {
      await work();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const saveDetails = (event: Event) => {
    event.preventDefault();
    return run(async () => {
      const updated = await shop.updateCart({ email, shipping_address: toApiAddress(address) });
      const quotes = await shop.store.get('/store/v1/carts/{id}/shipping-options', {
        params: { path: { id: updated.id } },
      });
      setOptions(quotes.data);
      const cheapest = quotes.data.find((option) => option.selected) ?? quotes.data[0];
      if (cheapest && !updated.shipping_option_id) await shop.updateCart({ shipping_option_id: cheapest.id });
    });
  };

  const chooseShipping = (id: string) =>
    run(async () => {
      await shop.updateCart({ shipping_option_id: id });
      setOptions((current) => current?.map((option) => ({ ...option, selected: option.id === id })) ?? null);
    });

  const applyCode = (event: Event) => {
    event.preventDefault();
    const entered = code.trim().toUpperCase();
    if (!entered) return;
    return run(async () => {
      const updated = await shop.updateCart({
        promotion_codes: [...new Set([...cart.promotion_codes, entered])],
      });
      const rejected = updated.rejected_codes.find((entry) => entry.code.toUpperCase() === entered);
      if (rejected) {
        await shop.updateCart({ promotion_codes: cart.promotion_codes });
        throw new Error(rejected.reason);
      }
      setCode('');
    }).catch(() => {});
  };

  const placeOrder = (event: Event) => {
    event.preventDefault();
    return run(async () => {
      try {
        const result = await shop.store.post('/store/v1/carts/{id}/checkout', {
          params: { path: { id: cart.id } },
          // The total on the Pay button: the engine refuses to charge anything else.
          body: { payment: { provider: 'test', token: card }, email, expected_total: cart.totals.total },
        });
        if (result.order_token) shop.rememberOrderToken(result.order.id, result.order_token);
        shop.useCart(null);
        navigate(`/orders/${result.order.id}`);
      } catch (failure) {
        if (isMerxError(failure, 'payment_declined')) {
          throw new Error(`Your card was declined (${failure.detail}). Please use another card.`);
        }
        if (isMerxError(failure, 'total_changed')) {
          shop.useCart(await shop.store.get('/store/v1/carts/{id}', { params: { path: { id: cart.id } } }));
          throw new Error(
            'Your total changed since you last saw it. Please check the new total and pay again.',
          );
        }
        throw failure;
      }
    });
  };

  const detailsSaved = options !== null;
  return (
    <div class="checkout">
      <h1 tabIndex={-1}>Checkout</h1>
      <div class="checkout-body">
        <div class="checkout-steps">
          <form onSubmit={saveDetails} aria-labelledby="step-details">
            <h2 id="step-details">1. Contact and delivery</h2>
            <div class="field">
              <label for="checkout-email">Email *</label>
              <input
                id="checkout-email"
                type="email"
                required
                autoComplete="email"
                value={email}
                onInput={(event) => setEmail(event.currentTarget.value)}
              />
            </div>
            <AddressFields idPrefix="shipping" value={address} onChange={setAddress} />
            <button type="submit" class="button" disabled={busy}>
              {detailsSaved ? 'Update delivery details' : 'Continue to shipping'}
            </button>
          </form>

          {detailsSaved && (
            <section aria-labelledby="step-shipping">
              <h2 id="step-shipping">2. Shipping</h2>
              {options.length === 0 ? (
                <p class="muted">No shipping charge for this address.</p>
              ) : (
                <fieldset>
                  <legend class="visually-hidden">Shipping option</legend>
                  {options.map((option) => (
                    <label key={option.id} class="choice">
                      <input
                        type="radio"
                        name="shipping"
                        checked={cart.shipping_option_id === option.id}
                        onChange={() => chooseShipping(option.id)}
                      />
                      {option.name} —{' '}
                      {option.amount === 0 ? 'free' : money(option.amount, option.currency, shop.locale)}
                    </label>
                  ))}
                </fieldset>
              )}
            </section>
          )}

          <form onSubmit={applyCode} aria-labelledby="step-promo" class="promo">
            <h2 id="step-promo">{detailsSaved ? '3.' : '2.'} Promotion code</h2>
            <div class="inline-field">
              <label for="promo-code" class="visually-hidden">
                Promotion code
              </label>
              <input
                id="promo-code"
                value={code}
                placeholder="e.g. WELCOME10"
                onInput={(event) => setCode(event.currentTarget.value)}
              />
              <button type="submit" class="button" disabled={busy}>
                Apply
              </button>
            </div>
            {cart.promotion_codes.length > 0 && (
              <p class="muted">
                Applied: {cart.promotion_codes.join(', ')}{' '}
                <button
                  type="button"
                  class="link-button"
                  onClick={() => run(async () => void (await shop.updateCart({ promotion_codes: [] })))}
                >
                  Remove
                </button>
              </p>
            )}
          </form>

          {detailsSaved && (
            <form onSubmit={placeOrder} aria-labelledby="step-payment">
              <h2 id="step-payment">4. Payment</h2>
              <fieldset>
                <legend>Test card (no real money moves)</legend>
                {TEST_CARDS.map(([token, label]) => (
                  <label key={token} class="choice">
                    <input
                      type="radio"
                      name="card"
                      value={token}
                      checked={card === token}
                      onChange={() => setCard(token)}
                    />
                    {label}
                  </label>
                ))}
              </fieldset>
              <button type="submit" class="button primary wide" disabled={busy}>
                {busy ? 'Placing order…' : `Pay ${money(cart.totals.total, cart.currency, shop.locale)}`}
              </button>
            </form>
          )}
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
        </div>
        <aside class="summary" aria-labelledby="summary-title">
          <h2 id="summary-title">Order summary</h2>
          <ul class="summary-lines">
            {cart.lines.map((line) => (
              <li key={line.id}>
                <span>
                  {line.quantity} × {line.product_title} <span class="muted">{line.variant_title}</span>
                </span>
                <span>{money(line.subtotal, cart.currency, shop.locale)}</span>
              </li>
            ))}
          </ul>
          <Totals cart={cart} />
        </aside>
      </div>
    </div>
  );
}

export function Totals({
  cart,
}: {
  cart: { currency: string; totals?: Cart['totals'] } & Partial<
    Record<'subtotal' | 'discount_total' | 'shipping_total' | 'tax_total' | 'total', number>
  >;
}) {
  const shop = useShop();
  const totals = cart.totals ?? {
    subtotal: cart.subtotal ?? 0,
    discount_total: cart.discount_total ?? 0,
    shipping_total: cart.shipping_total ?? 0,
    tax_total: cart.tax_total ?? 0,
    total: cart.total ?? 0,
  };
  const row = (label: string, amount: number, testId?: string) => (
    <div class="total-row">
      <dt>{label}</dt>
      <dd data-testid={testId}>{money(amount, cart.currency, shop.locale)}</dd>
    </div>
  );
  return (
    <dl class="totals">
      {row('Subtotal', totals.subtotal)}
      {totals.discount_total > 0 && row('Discount', -totals.discount_total, 'discount')}
      {row('Shipping', totals.shipping_total)}
      {row('Tax', totals.tax_total)}
      {row('Total', totals.total, 'total')}
    </dl>
  );
}
