import type { components } from '@merx/sdk';
import { useState } from 'preact/hooks';
import { dateTime, money } from '../format.js';
import { Filters, Pager, useCursorList } from '../list.js';
import { href } from '../router.js';
import { Badge, ErrorNote, Field, Page, useDashboard } from '../ui.js';
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
  const channels = useAsync(
    async () => (can('channels:read') ? (await client.get('/admin/v1/channels')).data : []),
    [],
  );
  const list = useCursorList(
    async (cursor) => {
      const query = {
        limit: 25,
        cursor,
        q: q || undefined,
        status: status || undefined,
        channel_id: channelId || undefined,
        created_after: dayStart(from),
        created_before: dayEnd(to),
      };
      return client.get('/admin/v1/orders', { params: { query } });
    },
    [q, status, channelId, from, to],
  );
  const { page, rows, filter } = list;
  return (
    <Page title="Orders">
      <Filters>
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
      </Filters>
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
      <Pager list={list} what="orders" empty="No orders match." />
    </Page>
  );
}
