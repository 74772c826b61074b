import { useState } from 'preact/hooks';
import { handleFrom, mediaFromLines, parseOptionLines, skuFor, variantCombinations } from '../catalog.js';
import { parseAmount } from '../format.js';
import { go } from '../router.js';
import { ErrorNote, Field, Page, useAction, useDashboard } from '../ui.js';
import { useAsync } from '../use-async.js';

/** Creates a product with one variant per combination of its option values, each at one price. */
export function NewProduct() {
  const { client, can } = useDashboard();
  const channels = useAsync(
    async () => (can('channels:read') ? (await client.get('/admin/v1/channels')).data : []),
    [],
  );
  const [title, setTitle] = useState('');
  const [handle, setHandle] = useState('');
  const [status, setStatus] = useState<'draft' | 'published'>('draft');
  const [description, setDescription] = useState('');
  const [options, setOptions] = useState('');
  const [skuPrefix, setSkuPrefix] = useState('');
  const [price, setPrice] = useState('');
  const [currency, setCurrency] = useState('EUR');
  const [media, setMedia] = useState('');
  const [channelIds, setChannelIds] = useState<string[]>([]);
  const action = useAction();
  const parsedOptions = parseOptionLines(options);
  const combinations = typeof parsedOptions === 'string' ? [] : variantCombinations(parsedOptions);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (typeof parsedOptions === 'string') return action.setError(new Error(parsedOptions));
    const amount = parseAmount(price, currency);
    if (amount === null)
      return action.setError(new Error(`Price: "${price}" is not an amount in ${currency}`));
    const prefix = skuPrefix || handleFrom(title).toUpperCase();
    const created = await action.run(() =>
      client.post('/admin/v1/products', {
        body: {
          title,
          handle: handle || handleFrom(title),
          status,
          description,
          media: mediaFromLines(media),
          channel_ids: channelIds,
          options: parsedOptions,
          variants: combinations.map((combination) => ({
            sku: skuFor(prefix, combination),
            title: Object.values(combination).join(' / ') || title,
            options: combination,
            prices: [{ currency, amount }],
          })),
        },
      }),
    );
    if (created) go(`products/${created.id}`);
  };

  return (
    <Page title="New product">
      <form class="card form" onSubmit={submit}>
        <Field label="Title">
          <input required value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
        </Field>
        <Field label="Handle" hint={`Leave empty for "${handleFrom(title) || 'from-the-title'}"`}>
          <input
            value={handle}
            pattern="[a-z0-9]+(-[a-z0-9]+)*"
            onInput={(e) => setHandle(e.currentTarget.value)}
          />
        </Field>
        <Field label="Status">
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value as 'draft' | 'published')}>
            <option value="draft">Draft</option>
            <option value="published">Published</option>
          </select>
        </Field>
        <Field label="Description" wide>
          <textarea rows={3} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        </Field>
        <Field label="Options" hint="One per line, e.g. Size: 40, 41, 42" wide>
          <textarea rows={3} value={options} onInput={(e) => setOptions(e.currentTarget.value)} />
        </Field>
        <Field label="SKU prefix">
          <input value={skuPrefix} onInput={(e) => setSkuPrefix(e.currentTarget.value)} />
        </Field>
        <Field label="Price">
          <input
            inputMode="decimal"
            required
            value={price}
            onInput={(e) => setPrice(e.currentTarget.value)}
          />
        </Field>
        <Field label="Currency">
          <input
            required
            pattern="[A-Z]{3}"
            maxLength={3}
            value={currency}
            onInput={(e) => setCurrency(e.currentTarget.value.toUpperCase())}
          />
        </Field>
        <Field label="Media URLs" hint="One URL per line" wide>
          <textarea rows={2} value={media} onInput={(e) => setMedia(e.currentTarget.value)} />
        </Field>
        {channels.data && channels.data.length > 0 && (
          <fieldset class="wide">
            <legend>Sold in channels</legend>
            {channels.data.map((channel) => (
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
        <p class="wide muted" aria-live="polite">
          {typeof parsedOptions === 'string'
            ? parsedOptions
            : `${combinations.length} variant${combinations.length === 1 ? '' : 's'} will be created.`}
        </p>
        <ErrorNote error={action.error} />
        <button type="submit" disabled={action.busy}>
          Create product
        </button>
      </form>
    </Page>
  );
}
