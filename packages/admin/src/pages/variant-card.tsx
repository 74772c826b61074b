import type { components } from '@merx/sdk';
import { useEffect, useState } from 'preact/hooks';
import { parseAmount, toDecimal } from '../format.js';
import { ErrorNote, Field, Status, useAction, useDashboard } from '../ui.js';
import { useAsync } from '../use-async.js';

type Product = components['schemas']['Product'];
type Variant = components['schemas']['Variant'];
type Price = components['schemas']['Price'];
type Channel = components['schemas']['Channel'];
type Location = components['schemas']['StockLocation'];

/** How a price reads in its label: "EUR · all channels", "EUR · Web shop · from 10". */
export function priceScope(price: Price, channels: Channel[]): string {
  const parts = [price.currency];
  parts.push(
    price.channel_id
      ? (channels.find((c) => c.id === price.channel_id)?.name ?? price.channel_id)
      : 'all channels',
  );
  if (price.customer_group_id) parts.push('customer group');
  if (price.segment_id) parts.push('segment');
  if (price.min_quantity > 1) parts.push(`from ${price.min_quantity}`);
  return parts.join(' · ');
}

function PriceRow({
  price,
  channels,
  onChanged,
}: {
  price: Price;
  channels: Channel[];
  onChanged: () => void;
}) {
  const { client, can } = useDashboard();
  const [text, setText] = useState(toDecimal(price.amount, price.currency));
  // A reload after a save (or someone else's change) shows the stored amount; the row keeps its status.
  useEffect(() => setText(toDecimal(price.amount, price.currency)), [price.amount, price.currency]);
  const action = useAction();
  const scope = priceScope(price, channels);
  const save = async (event: Event) => {
    event.preventDefault();
    const amount = parseAmount(text, price.currency);
    if (amount === null) return action.setError(new Error(`"${text}" is not an amount in ${price.currency}`));
    await action.run(
      () =>
        client.patch('/admin/v1/prices/{id}', {
          params: { path: { id: price.id }, header: { 'if-match': String(price.version) } },
          body: { amount },
        }),
      'Price saved',
    );
    onChanged();
  };
  const remove = async () => {
    await action.run(() => client.delete('/admin/v1/prices/{id}', { params: { path: { id: price.id } } }));
    onChanged();
  };
  return (
    <form class="row price" onSubmit={save}>
      <Field label={`Price ${scope}`}>
        <input
          inputMode="decimal"
          value={text}
          disabled={!can('catalog:write')}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </Field>
      {can('catalog:write') && (
        <>
          <button type="submit" disabled={action.busy}>
            Save price
          </button>
          <button type="button" class="secondary" onClick={remove} disabled={action.busy}>
            Remove price
          </button>
        </>
      )}
      <Status done={action.done} />
      <ErrorNote error={action.error} />
    </form>
  );
}

function AddPrice({
  variant,
  channels,
  onChanged,
}: {
  variant: Variant;
  channels: Channel[];
  onChanged: () => void;
}) {
  const { client } = useDashboard();
  const [currency, setCurrency] = useState('EUR');
  const [channelId, setChannelId] = useState('');
  const [text, setText] = useState('');
  const action = useAction();
  const add = async (event: Event) => {
    event.preventDefault();
    const amount = parseAmount(text, currency);
    if (amount === null) return action.setError(new Error(`"${text}" is not an amount in ${currency}`));
    await action.run(() =>
      client.post('/admin/v1/variants/{id}/prices', {
        params: { path: { id: variant.id } },
        body: { currency, amount, channel_id: channelId || null },
      }),
    );
    setText('');
    onChanged();
  };
  return (
    <form class="row" onSubmit={add} aria-label={`Add a price to ${variant.sku}`}>
      <Field label="New price currency">
        <input
          required
          pattern="[A-Z]{3}"
          maxLength={3}
          value={currency}
          onInput={(e) => setCurrency(e.currentTarget.value.toUpperCase())}
        />
      </Field>
      <Field label="New price channel">
        <select value={channelId} onChange={(e) => setChannelId(e.currentTarget.value)}>
          <option value="">All channels</option>
          {channels.map((channel) => (
            <option key={channel.id} value={channel.id}>
              {channel.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label="New price amount">
        <input required inputMode="decimal" value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </Field>
      <button type="submit" class="secondary" disabled={action.busy}>
        Add price
      </button>
      <ErrorNote error={action.error} />
    </form>
  );
}

function StockRows({ variant, locations }: { variant: Variant; locations: Location[] }) {
  const { client, can } = useDashboard();
  const inventory = useAsync(
    () =>
      client.get('/admin/v1/inventory/variants/{variant_id}', {
        params: { path: { variant_id: variant.id } },
      }),
    [variant.id],
  );
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const action = useAction();
  if (inventory.status === 'error') return <ErrorNote error={inventory.error} />;
  const levels = inventory.data?.levels ?? [];
  const save = async (locationId: string, name: string) => {
    const onHand = Number(drafts[locationId]);
    if (!Number.isInteger(onHand) || onHand < 0)
      return action.setError(new Error(`${name}: stock must be a whole number`));
    await action.run(
      () =>
        client.put('/admin/v1/inventory/variants/{variant_id}/levels/{location_id}', {
          params: { path: { variant_id: variant.id, location_id: locationId } },
          body: { on_hand: onHand, reason: 'cycle_count' },
        }),
      `Stock at ${name} saved`,
    );
    inventory.reload();
  };
  return (
    <div class="stock">
      <h4>Stock</h4>
      {locations.length === 0 && <p class="muted">No stock locations yet.</p>}
      {locations.map((location) => {
        const level = levels.find((entry) => entry.location_id === location.id);
        return (
          <div class="row" key={location.id}>
            <Field
              label={`Stock at ${location.name}`}
              hint={level ? `${level.reserved} held, ${level.available} available` : 'Not stocked here'}
            >
              <input
                type="number"
                min={0}
                disabled={!can('inventory:write')}
                value={drafts[location.id] ?? String(level?.on_hand ?? 0)}
                onInput={(e) => setDrafts({ ...drafts, [location.id]: e.currentTarget.value })}
              />
            </Field>
            {can('inventory:write') && drafts[location.id] !== undefined && (
              <button type="button" onClick={() => save(location.id, location.name)} disabled={action.busy}>
                Save stock
              </button>
            )}
          </div>
        );
      })}
      <Status done={action.done} />
      <ErrorNote error={action.error} />
    </div>
  );
}

export function VariantCard(props: {
  variant: Variant;
  product: Product;
  channels: Channel[];
  locations: Location[];
  onChanged: () => void;
}) {
  const { variant, product, channels } = props;
  const { client, can } = useDashboard();
  const [sku, setSku] = useState(variant.sku);
  const [title, setTitle] = useState(variant.title);
  const [options, setOptions] = useState(variant.options);
  const action = useAction();
  const writable = can('catalog:write');
  const save = async (event: Event) => {
    event.preventDefault();
    await action.run(
      () =>
        client.patch('/admin/v1/variants/{id}', {
          params: { path: { id: variant.id }, header: { 'if-match': String(variant.version) } },
          body: { sku, title, options },
        }),
      'Variant saved',
    );
    props.onChanged();
  };
  return (
    <fieldset class="card variant" aria-label={`Variant ${variant.sku}`}>
      <legend>
        {variant.title || variant.sku} <small class="muted">{variant.sku}</small>
      </legend>
      <form class="row" onSubmit={save}>
        <Field label="SKU">
          <input required value={sku} disabled={!writable} onInput={(e) => setSku(e.currentTarget.value)} />
        </Field>
        <Field label="Variant title">
          <input value={title} disabled={!writable} onInput={(e) => setTitle(e.currentTarget.value)} />
        </Field>
        {product.options.map((option) => (
          <Field key={option.id} label={option.name}>
            <select
              value={options[option.name] ?? ''}
              disabled={!writable}
              onChange={(e) => setOptions({ ...options, [option.name]: e.currentTarget.value })}
            >
              <option value="">—</option>
              {option.values.map((value) => (
                <option key={value}>{value}</option>
              ))}
            </select>
          </Field>
        ))}
        {writable && (
          <button type="submit" disabled={action.busy}>
            Save variant
          </button>
        )}
        <Status done={action.done} />
      </form>
      <ErrorNote error={action.error} />
      <h4>Prices</h4>
      {variant.prices.length === 0 && <p class="muted">No price: the variant cannot be bought.</p>}
      {variant.prices.map((price) => (
        <PriceRow key={price.id} price={price} channels={channels} onChanged={props.onChanged} />
      ))}
      {writable && <AddPrice variant={variant} channels={channels} onChanged={props.onChanged} />}
      {can('inventory:read') && <StockRows variant={variant} locations={props.locations} />}
    </fieldset>
  );
}

export function NewVariant({ product, onCreated }: { product: Product; onCreated: () => void }) {
  const { client } = useDashboard();
  const [sku, setSku] = useState('');
  const [options, setOptions] = useState<Record<string, string>>({});
  const [price, setPrice] = useState('');
  const [currency, setCurrency] = useState('EUR');
  const action = useAction();
  const add = async (event: Event) => {
    event.preventDefault();
    const amount = price ? parseAmount(price, currency) : null;
    if (price && amount === null)
      return action.setError(new Error(`"${price}" is not an amount in ${currency}`));
    const created = await action.run(() =>
      client.post('/admin/v1/products/{id}/variants', {
        params: { path: { id: product.id } },
        body: {
          sku,
          title: Object.values(options).join(' / ') || sku,
          options,
          ...(amount === null ? {} : { prices: [{ currency, amount }] }),
        },
      }),
    );
    if (created) {
      setSku('');
      onCreated();
    }
  };
  return (
    <form class="card row" onSubmit={add} aria-label="Add a variant">
      <h3 class="wide">Add a variant</h3>
      <Field label="New variant SKU">
        <input required value={sku} onInput={(e) => setSku(e.currentTarget.value)} />
      </Field>
      {product.options.map((option) => (
        <Field key={option.id} label={`New variant ${option.name}`}>
          <select
            required
            value={options[option.name] ?? ''}
            onChange={(e) => setOptions({ ...options, [option.name]: e.currentTarget.value })}
          >
            <option value="">—</option>
            {option.values.map((value) => (
              <option key={value}>{value}</option>
            ))}
          </select>
        </Field>
      ))}
      <Field label="New variant price">
        <input inputMode="decimal" value={price} onInput={(e) => setPrice(e.currentTarget.value)} />
      </Field>
      <Field label="New variant currency">
        <input
          pattern="[A-Z]{3}"
          maxLength={3}
          value={currency}
          onInput={(e) => setCurrency(e.currentTarget.value.toUpperCase())}
        />
      </Field>
      <button type="submit" class="secondary" disabled={action.busy}>
        Add variant
      </button>
      <ErrorNote error={action.error} />
    </form>
  );
}
