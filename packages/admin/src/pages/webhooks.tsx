import type { components } from '@merx/sdk';
import { useState } from 'preact/hooks';
import { dateTime } from '../format.js';
import { Badge, ErrorNote, Field, Loading, Page, Status, useAction, useDashboard } from '../ui.js';
import { useAsync } from '../use-async.js';

type Endpoint = components['schemas']['WebhookEndpoint'];
type DeliveryStatus = 'pending' | 'succeeded' | 'dead';

function Deliveries({ endpoint }: { endpoint: Endpoint }) {
  const { client, can } = useDashboard();
  const [status, setStatus] = useState<DeliveryStatus | ''>('');
  const list = useAsync(
    () =>
      client.get('/admin/v1/webhooks/{id}/deliveries', {
        params: { path: { id: endpoint.id }, query: { limit: 50, status: status || undefined } },
      }),
    [endpoint.id, status],
  );
  const action = useAction();
  const replay = async (deliveryId: string) => {
    await action.run(
      () =>
        client.post('/admin/v1/webhooks/{id}/deliveries/{delivery_id}/replay', {
          params: { path: { id: endpoint.id, delivery_id: deliveryId } },
        }),
      'Delivery queued again',
    );
    list.reload();
  };
  return (
    <section class="card" aria-label={`Deliveries to ${endpoint.url}`}>
      <div class="row">
        <h3>Delivery log</h3>
        <Field label="Delivery status">
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value as DeliveryStatus | '')}>
            <option value="">Any</option>
            <option value="pending">Pending</option>
            <option value="succeeded">Succeeded</option>
            <option value="dead">Dead</option>
          </select>
        </Field>
      </div>
      {list.status === 'error' && <ErrorNote error={list.error} />}
      {!list.data && <Loading what="deliveries" />}
      {list.data && list.data.data.length === 0 && <p class="muted">No deliveries.</p>}
      {list.data && list.data.data.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last answer</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.data.map((delivery) => (
              <tr key={delivery.id}>
                <td>
                  {delivery.event_type} <small class="muted">{delivery.event_id}</small>
                </td>
                <td>
                  <Badge>{delivery.status}</Badge>
                </td>
                <td>{delivery.attempts}</td>
                <td>
                  {delivery.last_status_code ?? delivery.last_error ?? '—'}
                  {delivery.last_duration_ms !== null && (
                    <small class="muted"> {delivery.last_duration_ms} ms</small>
                  )}
                </td>
                <td>{dateTime(delivery.created_at)}</td>
                <td>
                  {can('webhooks:write') && delivery.status !== 'pending' && (
                    <button
                      type="button"
                      class="secondary"
                      onClick={() => replay(delivery.id)}
                      disabled={action.busy}
                    >
                      Replay<span class="sr-only"> {delivery.event_type}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Status done={action.done} />
      <ErrorNote error={action.error} />
    </section>
  );
}

export function WebhooksPage() {
  const { client, can } = useDashboard();
  const list = useAsync(() => client.get('/admin/v1/webhooks', { params: { query: { limit: 100 } } }), []);
  const [open, setOpen] = useState<string | null>(null);
  const [url, setUrl] = useState('');
  const [types, setTypes] = useState('order.*');
  const [secret, setSecret] = useState<string | null>(null);
  const action = useAction();
  const create = async (event: Event) => {
    event.preventDefault();
    const created = await action.run(() =>
      client.post('/admin/v1/webhooks', {
        body: {
          url,
          event_types: types
            .split(',')
            .map((type) => type.trim())
            .filter(Boolean),
        },
      }),
    );
    if (created) {
      setSecret(created.secret ?? null);
      setUrl('');
      list.reload();
    }
  };
  const ping = (endpoint: Endpoint) =>
    action.run(
      () => client.post('/admin/v1/webhooks/{id}/ping', { params: { path: { id: endpoint.id } } }),
      'Ping queued',
    );
  return (
    <Page title="Webhooks">
      {list.status === 'error' && <ErrorNote error={list.error} />}
      {list.data?.data.length === 0 && <p class="muted">No endpoints yet.</p>}
      {list.data?.data.map((endpoint) => (
        <article class="card" key={endpoint.id}>
          <div class="row">
            <h2>{endpoint.url}</h2>
            <Badge>{endpoint.enabled ? 'enabled' : 'disabled'}</Badge>
          </div>
          <p class="muted">
            {endpoint.event_types.join(', ')} · secret …{endpoint.secret_hint}
          </p>
          <div class="row">
            <button
              type="button"
              class="secondary"
              aria-expanded={open === endpoint.id}
              onClick={() => setOpen(open === endpoint.id ? null : endpoint.id)}
            >
              Delivery log<span class="sr-only"> for {endpoint.url}</span>
            </button>
            {can('webhooks:write') && (
              <button type="button" class="secondary" onClick={() => ping(endpoint)}>
                Send a ping<span class="sr-only"> to {endpoint.url}</span>
              </button>
            )}
          </div>
          {open === endpoint.id && <Deliveries endpoint={endpoint} />}
        </article>
      ))}
      {can('webhooks:write') && (
        <form class="card form" onSubmit={create} aria-label="New webhook endpoint">
          <h2 class="wide">New endpoint</h2>
          <Field label="Endpoint URL">
            <input type="url" required value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
          </Field>
          <Field label="Event types" hint="Comma-separated; * wildcards, e.g. order.*">
            <input required value={types} onInput={(e) => setTypes(e.currentTarget.value)} />
          </Field>
          <button type="submit" disabled={action.busy}>
            Add endpoint
          </button>
        </form>
      )}
      {secret && (
        <p class="card" role="status">
          Signing secret (shown once): <code>{secret}</code>
        </p>
      )}
      <Status done={action.done} />
      <ErrorNote error={action.error} />
    </Page>
  );
}
