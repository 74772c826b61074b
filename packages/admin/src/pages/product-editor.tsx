import type { components } from '@merx/sdk';
import { useEffect, useState } from 'preact/hooks';
import { mediaFromLines } from '../catalog.js';
import { href } from '../router.js';
import { ErrorNote, Field, Loading, Page, Status, useAction, useDashboard } from '../ui.js';
import { useAsync } from '../use-async.js';
import { NewProduct } from './product-new.js';
import { NewVariant, VariantCard } from './variant-card.js';

type Product = components['schemas']['Product'];
type Channel = components['schemas']['Channel'];
type ProductStatus = Product['status'];

function DetailsForm({
  product,
  channels,
  onSaved,
}: {
  product: Product;
  channels: Channel[];
  onSaved: (p: Product) => void;
}) {
  const { client, can } = useDashboard();
  const [title, setTitle] = useState(product.title);
  const [handle, setHandle] = useState(product.handle);
  const [status, setStatus] = useState<ProductStatus>(product.status);
  const [description, setDescription] = useState(product.description);
  const [media, setMedia] = useState(product.media.map((item) => item.url).join('\n'));
  const [channelIds, setChannelIds] = useState(product.channel_ids);
  const action = useAction();
  const readOnly = !can('catalog:write');
  const save = async (event: Event) => {
    event.preventDefault();
    const saved = await action.run(
      () =>
        client.patch('/admin/v1/products/{id}', {
          params: { path: { id: product.id }, header: { 'if-match': String(product.version) } },
          body: { title, handle, status, description, media: mediaFromLines(media), channel_ids: channelIds },
        }),
      'Product saved',
    );
    if (saved) onSaved(saved);
  };
  return (
    <form class="card form" onSubmit={save} aria-label="Product details">
      <h2 class="wide">Details</h2>
      <fieldset disabled={readOnly} class="contents">
        <Field label="Title">
          <input required value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
        </Field>
        <Field label="Handle">
          <input required value={handle} onInput={(e) => setHandle(e.currentTarget.value)} />
        </Field>
        <Field label="Status">
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value as ProductStatus)}>
            <option value="draft">Draft</option>
            <option value="published">Published</option>
            <option value="archived">Archived</option>
          </select>
        </Field>
        <Field label="Description" wide>
          <textarea rows={4} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        </Field>
        <Field label="Media URLs" hint="One URL per line; the first is the main image" wide>
          <textarea rows={3} value={media} onInput={(e) => setMedia(e.currentTarget.value)} />
        </Field>
        {channels.length > 0 && (
          <fieldset class="wide">
            <legend>Sold in channels</legend>
            {channels.map((channel) => (
              <label key={channel.id} class="check">
                <input
                  type="checkbox"
                  checked={channelIds.includes(channel.id)}
                  onChange={(e) =>
                    setChannelIds((ids) =>
                      e.currentTarget.checked ? [...ids, channel.id] : ids.filter((id) => id !== channel.id),
                    )
                  }
                />
                {channel.name}
              </label>
            ))}
          </fieldset>
        )}
      </fieldset>
      <ErrorNote error={action.error} />
      {!readOnly && (
        <div class="wide row">
          <button type="submit" disabled={action.busy}>
            Save details
          </button>
          <Status done={action.done} />
        </div>
      )}
    </form>
  );
}

function OptionsForm({ product, onChanged }: { product: Product; onChanged: () => void }) {
  const { client, can } = useDashboard();
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [newName, setNewName] = useState('');
  const [newValues, setNewValues] = useState('');
  const action = useAction();
  const values = (text: string) => [
    ...new Set(
      text
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    ),
  ];
  const saveOption = (optionId: string) =>
    action
      .run(
        () =>
          client.patch('/admin/v1/products/{id}/options/{optionId}', {
            params: { path: { id: product.id, optionId } },
            body: { values: values(drafts[optionId] ?? '') },
          }),
        'Option saved',
      )
      .then(onChanged);
  const addOption = async (event: Event) => {
    event.preventDefault();
    await action.run(
      () =>
        client.post('/admin/v1/products/{id}/options', {
          params: { path: { id: product.id } },
          body: { name: newName, values: values(newValues) },
        }),
      'Option added',
    );
    setNewName('');
    setNewValues('');
    onChanged();
  };
  const writable = can('catalog:write');
  return (
    <section class="card" aria-labelledby="options-title">
      <h2 id="options-title">Options</h2>
      {product.options.length === 0 && <p class="muted">No options: the product has a single variant.</p>}
      {product.options.map((option) => (
        <div class="row" key={option.id}>
          <Field label={`${option.name} values`} hint="Comma-separated">
            <input
              value={drafts[option.id] ?? option.values.join(', ')}
              disabled={!writable}
              onInput={(e) => setDrafts({ ...drafts, [option.id]: e.currentTarget.value })}
            />
          </Field>
          {writable && drafts[option.id] !== undefined && (
            <button type="button" onClick={() => saveOption(option.id)} disabled={action.busy}>
              Save {option.name}
            </button>
          )}
        </div>
      ))}
      {writable && (
        <form class="row" onSubmit={addOption} aria-label="Add an option">
          <Field label="New option name">
            <input required value={newName} onInput={(e) => setNewName(e.currentTarget.value)} />
          </Field>
          <Field label="New option values">
            <input required value={newValues} onInput={(e) => setNewValues(e.currentTarget.value)} />
          </Field>
          <button type="submit" class="secondary" disabled={action.busy}>
            Add option
          </button>
        </form>
      )}
      <ErrorNote error={action.error} />
      <Status done={action.done} />
    </section>
  );
}

function ExistingProduct({ id }: { id: string }) {
  const { client, can } = useDashboard();
  const loaded = useAsync(async () => {
    const [product, channels, locations] = await Promise.all([
      client.get('/admin/v1/products/{id}', { params: { path: { id } } }),
      can('channels:read') ? client.get('/admin/v1/channels').then((r) => r.data) : Promise.resolve([]),
      can('inventory:read')
        ? client.get('/admin/v1/stock-locations', { params: { query: { limit: 100 } } }).then((r) => r.data)
        : Promise.resolve([]),
    ]);
    return { product, channels, locations };
  }, [id]);
  const [product, setProduct] = useState<Product | null>(null);
  useEffect(() => setProduct(loaded.data?.product ?? null), [loaded.data]);
  if (loaded.status === 'error') return <ErrorNote error={loaded.error} />;
  if (!loaded.data || !product) return <Loading what="the product" />;
  const { channels, locations } = loaded.data;
  return (
    <Page title={product.title} actions={<a href={href('products')}>All products</a>}>
      <DetailsForm key={product.id} product={product} channels={channels} onSaved={setProduct} />
      <OptionsForm product={product} onChanged={loaded.reload} />
      <section aria-labelledby="variants-title">
        <h2 id="variants-title">Variants</h2>
        {product.variants.map((variant) => (
          <VariantCard
            key={variant.id}
            variant={variant}
            product={product}
            channels={channels}
            locations={locations}
            onChanged={loaded.reload}
          />
        ))}
        {can('catalog:write') && <NewVariant product={product} onCreated={loaded.reload} />}
      </section>
    </Page>
  );
}

export function ProductEditor({ id }: { id: string }) {
  return id === 'new' ? <NewProduct /> : <ExistingProduct id={id} />;
}
