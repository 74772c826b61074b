import type { components } from '@merx/sdk';
import { useState } from 'preact/hooks';
import { dateTime, money, parseAmount, toDecimal } from '../format.js';
import { href } from '../router.js';
import { Badge, ErrorNote, Field, Loading, Page, Status, useAction, useDashboard } from '../ui.js';
import { useAsync } from '../use-async.js';

type AdminOrder = components['schemas']['AdminOrder'];

function Actions({ order, onChanged }: { order: AdminOrder; onChanged: (order: AdminOrder) => void }) {
  const { client } = useDashboard();
  const action = useAction();
  const refundable = order.captured_amount - order.refunded_amount;
  const [refund, setRefund] = useState(toDecimal(refundable, order.currency));
  const [reason, setReason] = useState('');
  const [carrier, setCarrier] = useState('');
  const [tracking, setTracking] = useState('');
  const open = order.lines.filter(
    (line) => line.quantity - line.fulfilled_quantity - line.returned_quantity > 0,
  );
  const path = { params: { path: { id: order.id } } };
  const apply = async (run: () => Promise<AdminOrder>, success: string) => {
    const next = await action.run(run, success);
    if (next) onChanged(next);
  };
  const capture = () =>
    apply(() => client.post('/admin/v1/orders/{id}/capture', { ...path, body: {} }), 'Payment captured');
  const refundSubmit = (event: Event) => {
    event.preventDefault();
    const amount = parseAmount(refund, order.currency);
    if (!amount) return action.setError(new Error(`"${refund}" is not an amount in ${order.currency}`));
    return apply(
      () =>
        client.post('/admin/v1/orders/{id}/refund', {
          ...path,
          body: { amount, ...(reason ? { reason } : {}) },
        }),
      'Refund issued',
    );
  };
  const fulfil = (event: Event) => {
    event.preventDefault();
    return apply(
      () =>
        client.post('/admin/v1/orders/{id}/fulfilments', {
          ...path,
          body: {
            lines: open.map((line) => ({
              line_id: line.id,
              quantity: line.quantity - line.fulfilled_quantity - line.returned_quantity,
            })),
            ...(carrier ? { carrier } : {}),
            ...(tracking ? { tracking_number: tracking } : {}),
          },
        }),
      'Fulfilment recorded',
    );
  };
  const cancel = () => {
    if (!window.confirm(`Cancel order #${order.number}? Captured money is refunded and stock restocked.`))
      return;
    return apply(
      () => client.post('/admin/v1/orders/{id}/cancel', { ...path, body: reason ? { reason } : {} }),
      'Order cancelled',
    );
  };
  const canCapture = order.status === 'authorised';
  const canCancel = ['pending', 'authorised', 'paid', 'partially_refunded'].includes(order.status);
  return (
    <section class="card" aria-labelledby="actions-title">
      <h2 id="actions-title">Actions</h2>
      <div class="row">
        {canCapture && (
          <button type="button" onClick={capture} disabled={action.busy}>
            Capture {money(order.authorised_amount - order.captured_amount, order.currency)}
          </button>
        )}
        {canCancel && (
          <button type="button" class="danger" onClick={cancel} disabled={action.busy}>
            Cancel order
          </button>
        )}
      </div>
      {refundable > 0 && (
        <form class="row" onSubmit={refundSubmit} aria-label="Refund">
          <Field
            label={`Refund amount (${order.currency})`}
            hint={`Up to ${money(refundable, order.currency)}`}
          >
            <input inputMode="decimal" value={refund} onInput={(e) => setRefund(e.currentTarget.value)} />
          </Field>
          <Field label="Reason">
            <input value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          </Field>
          <button type="submit" disabled={action.busy}>
            Refund
          </button>
        </form>
      )}
      {open.length > 0 && order.captured_amount > 0 && (
        <form class="row" onSubmit={fulfil} aria-label="Fulfil">
          <Field label="Carrier">
            <input value={carrier} onInput={(e) => setCarrier(e.currentTarget.value)} />
          </Field>
          <Field label="Tracking number">
            <input value={tracking} onInput={(e) => setTracking(e.currentTarget.value)} />
          </Field>
          <button type="submit" disabled={action.busy}>
            Fulfil remaining items
          </button>
        </form>
      )}
      <Status done={action.done} />
      <ErrorNote error={action.error} />
    </section>
  );
}

export function OrderPage({ id }: { id: string }) {
  const { client, can } = useDashboard();
  const loaded = useAsync(() => client.get('/admin/v1/orders/{id}', { params: { path: { id } } }), [id]);
  const [updated, setUpdated] = useState<AdminOrder | null>(null);
  const order = updated?.id === id ? updated : loaded.data;
  if (loaded.status === 'error') return <ErrorNote error={loaded.error} />;
  if (!order) return <Loading what="the order" />;
  const address = order.shipping_address as Record<string, string> | null;
  return (
    <Page title={`Order #${order.number}`} actions={<a href={href('orders')}>All orders</a>}>
      <section class="kpis" aria-label="Summary">
        <div>
          <small>Status</small>
          <Badge>{order.status}</Badge>
        </div>
        <div>
          <small>Total</small>
          <strong>{money(order.total, order.currency)}</strong>
        </div>
        <div>
          <small>Captured</small>
          <strong>{money(order.captured_amount, order.currency)}</strong>
        </div>
        <div>
          <small>Refunded</small>
          <strong>{money(order.refunded_amount, order.currency)}</strong>
        </div>
      </section>
      {can('orders:write') && <Actions order={order} onChanged={setUpdated} />}
      <div class="grid">
        <section class="card span-2">
          <h2>Items</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Qty</th>
                <th scope="col">Shipped</th>
                <th scope="col">Total</th>
              </tr>
            </thead>
            <tbody>
              {order.lines.map((line) => (
                <tr key={line.id}>
                  <td>
                    {line.product_title}{' '}
                    <small class="muted">
                      {line.variant_title} · {line.sku}
                    </small>
                  </td>
                  <td>{line.quantity}</td>
                  <td>{line.fulfilled_quantity}</td>
                  <td>{money(line.total, order.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section class="card">
          <h2>Customer</h2>
          <p>{order.email ?? 'No email'}</p>
          {address && (
            <address>
              {Object.values(address)
                .filter((v) => typeof v === 'string')
                .join(', ')}
            </address>
          )}
          <p class="muted">Placed {dateTime(order.placed_at)}</p>
        </section>
        <section class="card">
          <h2>Shipments</h2>
          {order.fulfilments.length === 0 && <p class="muted">Nothing shipped yet.</p>}
          <ul>
            {order.fulfilments.map((fulfilment) => (
              <li key={fulfilment.id}>
                {fulfilment.carrier ?? 'Carrier not given'}{' '}
                {fulfilment.tracking_number && <code>{fulfilment.tracking_number}</code>} ·{' '}
                {dateTime(fulfilment.created_at)}
              </li>
            ))}
          </ul>
        </section>
        <section class="card span-2">
          <h2>History</h2>
          <ol class="audit">
            {order.audit.map((entry, index) => (
              <li key={`${entry.at}-${index}`}>
                <strong>{entry.action}</strong> {entry.from_status ?? '—'} → {entry.to_status}{' '}
                <small class="muted">
                  by {entry.actor.kind} · {dateTime(entry.at)}
                </small>
              </li>
            ))}
          </ol>
        </section>
      </div>
    </Page>
  );
}
