import type { components } from '@merx/sdk';
import { useState } from 'preact/hooks';
import { dateTime } from '../format.js';
import { ErrorNote, Field, Page, Status, useAction, useDashboard } from '../ui.js';
import { useAsync } from '../use-async.js';

type ApiKey = components['schemas']['ApiKey'];
type Channel = components['schemas']['Channel'];

function NewKey({ channels, onCreated }: { channels: Channel[]; onCreated: (key: ApiKey) => void }) {
  const { client } = useDashboard();
  const [name, setName] = useState('');
  const [channelId, setChannelId] = useState(channels[0]?.id ?? '');
  const action = useAction();
  const create = async (event: Event) => {
    event.preventDefault();
    const key = await action.run(() =>
      client.post('/admin/v1/keys', { body: { kind: 'publishable', name, channel_id: channelId } }),
    );
    if (key) onCreated(key);
  };
  return (
    <form class="card row" onSubmit={create} aria-label="New publishable key">
      <Field label="Key name">
        <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
      <Field label="For channel">
        <select value={channelId} onChange={(e) => setChannelId(e.currentTarget.value)}>
          {channels.map((channel) => (
            <option key={channel.id} value={channel.id}>
              {channel.name}
            </option>
          ))}
        </select>
      </Field>
      <button type="submit" disabled={action.busy}>
        Create publishable key
      </button>
      <ErrorNote error={action.error} />
    </form>
  );
}

export function ChannelsPage() {
  const { client, can } = useDashboard();
  const data = useAsync(async () => {
    const [channels, keys] = await Promise.all([
      client.get('/admin/v1/channels'),
      client.get('/admin/v1/keys'),
    ]);
    return { channels: channels.data, keys: keys.data };
  }, []);
  const [created, setCreated] = useState<ApiKey | null>(null);
  const action = useAction();
  const revoke = async (key: ApiKey) => {
    if (!window.confirm(`Revoke "${key.name}"? Heads using it stop working at once.`)) return;
    await action.run(
      () => client.delete('/admin/v1/keys/{id}', { params: { path: { id: key.id } } }),
      'Key revoked',
    );
    data.reload();
  };
  const writable = can('channels:write');
  if (data.status === 'error') return <ErrorNote error={data.error} />;
  const channels = data.data?.channels ?? [];
  const keys = data.data?.keys ?? [];
  return (
    <Page title="Channels & keys">
      <table>
        <caption>Channels</caption>
        <thead>
          <tr>
            <th scope="col">Channel</th>
            <th scope="col">Kind</th>
            <th scope="col">Currencies</th>
            <th scope="col">Locale</th>
            <th scope="col">Head profile</th>
          </tr>
        </thead>
        <tbody>
          {channels.map((channel) => (
            <tr key={channel.id}>
              <td>
                {channel.name} <small class="muted">{channel.id}</small>
              </td>
              <td>{channel.kind}</td>
              <td>{channel.currencies.join(', ')}</td>
              <td>{channel.locale}</td>
              <td>{channel.head_profile}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table>
        <caption>API keys</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Kind</th>
            <th scope="col">Channel or scopes</th>
            <th scope="col">Key</th>
            <th scope="col">Created</th>
            <th scope="col">
              <span class="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => (
            <tr key={key.id} class={key.revoked_at ? 'revoked' : undefined}>
              <td>{key.name}</td>
              <td>{key.kind}</td>
              <td>
                {key.kind === 'publishable'
                  ? (channels.find((channel) => channel.id === key.channel_id)?.name ?? key.channel_id)
                  : key.scopes.join(' ')}
              </td>
              <td>
                <code>…{key.token_hint}</code>
              </td>
              <td>{key.revoked_at ? `revoked ${dateTime(key.revoked_at)}` : dateTime(key.created_at)}</td>
              <td>
                {writable && !key.revoked_at && (
                  <button type="button" class="danger" onClick={() => revoke(key)}>
                    Revoke<span class="sr-only"> {key.name}</span>
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {writable && channels.length > 0 && (
        <NewKey
          channels={channels}
          onCreated={(key) => {
            setCreated(key);
            data.reload();
          }}
        />
      )}
      {created?.token && (
        <p class="card" role="status">
          New key <strong>{created.name}</strong>: <code>{created.token}</code>
        </p>
      )}
      <Status done={action.done} />
      <ErrorNote error={action.error} />
    </Page>
  );
}
