import type { components } from '@merx/sdk';
import { useState } from 'preact/hooks';
import { dateTime, money } from '../format.js';
import { href } from '../router.js';
import { Badge, ErrorNote, Field, Loading, Page, useDashboard } from '../ui.js';
import { useAsync } from '../use-async.js';

type OrderSummary = components['schemas']['OrderSummary'];
type OrderStatus = OrderSummary['status'];

export const ORDER_STATUSES: OrderStatus[] = [
  'pending',
  'authorised',
  'paid',
  'partially_fulfilled',
  'fulfilled',
  'delivered',
  'partially_refunded',
  'refunded',
  'cancelled',
];

/** `YYYY-MM-DD` from a date input → the start of that UTC day, as the API's filters take it. */
const dayStart = (day: string) => (day ? new Date(`${day}T00:00:00Z`).toISOString() : undefined);
const dayEnd = (day: string) =>
  day ? new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString() : undefined;

export function OrdersPage() {
  const { client, can } = useDashboard();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<OrderStatus | ''>('');
  const [channelId, setChannelId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [rows, setRows] = useState<OrderSummary[]>([]);
  const channels = useAsync(
    async () => (can('channels:read') ? (await client.get('/admin/v1/channels')).data : []),
    [],
  );
  const page = useAsync(async () => {
    const query = {
      limit: 25,
      cursor,
      q: q || undefined,
      status: status || undefined,
      channel_id: channelId || undefined,
      created_after: dayStart(from),
      created_before: dayEnd(to),
    };
    const result = await client.get('/admin/v1/orders', { params: { query } });
    setRows((previous) => (cursor ? [...previous, ...result.data] : result.data));
    return result;
  }, [q, status, channelId, from, to, cursor]);
  const filter = (set: () => void) => {
    setCursor(undefined);
    set();
  };
  return (
    <Page title="Orders">
      <form class="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <Field label="Search number or email">
          <input type="search" value={q} onInput={(e) => filter(() => setQ(e.currentTarget.value))} />
        </Field>
        <Field label="Status">
          <select
            value={status}
            onChange={(e) => filter(() => setStatus(e.currentTarget.value as OrderStatus | ''))}
          >
            <option value="">Any</option>
            {ORDER_STATUSES.map((value) => (
              <option key={value} value={value}>
                {value.replace('_', ' ')}
              </option>
            ))}
          </select>
        </Field>
        {(channels.data?.length ?? 0) > 0 && (
          <Field label="Channel">
            <select value={channelId} onChange={(e) => filter(() => setChannelId(e.currentTarget.value))}>
              <option value="">Any</option>
              {channels.data?.map((channel) => (
                <option key={channel.id} value={channel.id}>
                  {channel.name}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field label="Placed from">
          <input type="date" value={from} onInput={(e) => filter(() => setFrom(e.currentTarget.value))} />
        </Field>
        <Field label="Placed until">
          <input type="date" value={to} onInput={(e) => filter(() => setTo(e.currentTarget.value))} />
        </Field>
      </form>
      {page.status === 'error' && <ErrorNote error={page.error} />}
      <table>
        <thead>
          <tr>
            <th scope="col">Order</th>
            <th scope="col">Customer</th>
            <th scope="col">Status</th>
            <th scope="col">Total</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((order) => (
            <tr key={order.id}>
              <td>
                <a href={href(`orders/${order.id}`)}>#{order.number}</a>
              </td>
              <td>{order.email ?? '—'}</td>
              <td>
                <Badge>{order.status}</Badge>
              </td>
              <td>{money(order.total, order.currency)}</td>
              <td>{dateTime(order.created_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {page.status === 'loading' && <Loading what="orders" />}
      {page.status === 'done' && rows.length === 0 && <p class="muted">No orders match.</p>}
      {page.data?.has_more && (
        <button
          type="button"
          class="secondary"
          onClick={() => setCursor(page.data?.next_cursor ?? undefined)}
        >
          Load more
        </button>
      )}
    </Page>
  );
}
