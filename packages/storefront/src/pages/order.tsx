import type { Order } from '@merx/sdk';
import { useEffect, useState } from 'preact/hooks';
import { useShop } from '../context.js';
import { date, money } from '../format.js';
import { Link } from '../router.js';
import { errorMessage } from '../shop.js';
import { Totals } from './checkout.js';

const STATUS_TEXT: Record<Order['status'], string> = {
  pending: 'Waiting for your bank to confirm the payment',
  authorised: 'Confirmed: payment authorised',
  paid: 'Confirmed and paid',
  partially_fulfilled: 'Partly shipped',
  fulfilled: 'Shipped',
  delivered: 'Delivered',
  partially_refunded: 'Partly refunded',
  refunded: 'Refunded',
  cancelled: 'Cancelled',
};

/**
 * Order confirmation and detail. A guest reads the order with the token checkout returned; a
 * pending order (3-D Secure) is re-read until the provider's confirmation settles it.
 */
export function OrderPage({ id }: { id: string }) {
  const shop = useShop();
  const [order, setOrder] = useState<Order | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const token = shop.orderToken(id);
    const load = async () => {
      try {
        const current = await shop.store.get('/store/v1/orders/{id}', {
          params: { path: { id }, header: token ? { 'x-order-token': token } : {} },
        });
        if (stopped) return;
        setOrder(current);
        if (current.status === 'pending') timer = setTimeout(load, 2000);
      } catch (failure) {
        if (!stopped) setError(errorMessage(failure));
      }
    };
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id, shop]);

  if (error)
    return (
      <section>
        <h1 tabIndex={-1}>Order not found</h1>
        <p>{error}</p>
      </section>
    );
  if (!order) return <p aria-busy="true">Loading your order…</p>;
  const confirmed = order.status !== 'pending' && order.status !== 'cancelled';
  return (
    <article class="order">
      <h1 tabIndex={-1}>{confirmed ? 'Thank you for your order!' : `Order ${order.number}`}</h1>
      <p class={`order-status status-${order.status}`} role="status" data-testid="order-status">
        Order <strong data-testid="order-number">#{order.number}</strong> · {STATUS_TEXT[order.status]}
      </p>
      {order.status === 'pending' && <p class="muted">This page updates by itself once your bank answers.</p>}
      {order.email && <p>A confirmation goes to {order.email}.</p>}
      <div class="order-body">
        <section aria-labelledby="items-title">
          <h2 id="items-title">Items</h2>
          <ul class="summary-lines">
            {order.lines.map((line) => (
              <li key={line.id}>
                <span>
                  {line.quantity} × {line.product_title} <span class="muted">{line.variant_title}</span>
                </span>
                <span>{money(line.subtotal, order.currency, shop.locale)}</span>
              </li>
            ))}
          </ul>
          <Totals cart={order} />
        </section>
        {order.shipping_address && (
          <section aria-labelledby="ship-title">
            <h2 id="ship-title">Delivery</h2>
            <address>
              {[order.shipping_address.first_name, order.shipping_address.last_name]
                .filter(Boolean)
                .join(' ')}
              <br />
              {order.shipping_address.line1}
              <br />
              {[order.shipping_address.postal_code, order.shipping_address.city].filter(Boolean).join(' ')}
              <br />
              {order.shipping_address.country}
            </address>
            {order.shipping_method && <p class="muted">{order.shipping_method.name}</p>}
            <p class="muted">Placed {date(order.placed_at ?? order.created_at, shop.locale)}</p>
          </section>
        )}
      </div>
      <p>
        <Link href="/">Continue shopping</Link>
      </p>
    </article>
  );
}
