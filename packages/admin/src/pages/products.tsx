import type { components } from '@merx/sdk';
import { useState } from 'preact/hooks';
import { money } from '../format.js';
import { href } from '../router.js';
import { Badge, ErrorNote, Field, Loading, Page, useDashboard } from '../ui.js';
import { useAsync } from '../use-async.js';

type Product = components['schemas']['Product'];
type Status = 'draft' | 'published' | 'archived';

function priceSummary(product: Product): string {
  const base = product.variants.flatMap((variant) =>
    variant.prices.filter((price) => price.channel_id === null && price.customer_group_id === null),
  );
  if (base.length === 0) return '—';
  const currency = base[0].currency;
  const amounts = base.filter((price) => price.currency === currency).map((price) => price.amount);
  const [min, max] = [Math.min(...amounts), Math.max(...amounts)];
  return min === max ? money(min, currency) : `${money(min, currency)} – ${money(max, currency)}`;
}

export function ProductsPage() {
  const { client, can } = useDashboard();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<Status | ''>('');
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [pages, setPages] = useState<Product[]>([]);
  const page = useAsync(async () => {
    const result = await client.get('/admin/v1/products', {
      params: { query: { limit: 25, cursor, ...(q ? { q } : {}), ...(status ? { status } : {}) } },
    });
    setPages((previous) => (cursor ? [...previous, ...result.data] : result.data));
    return result;
  }, [q, status, cursor]);
  const search = (next: () => void) => {
    setCursor(undefined);
    next();
  };
  return (
    <Page
      title="Products"
      actions={
        can('catalog:write') && (
          <a class="button" href={href('products/new')}>
            New product
          </a>
        )
      }
    >
      <form class="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <Field label="Search title or handle">
          <input type="search" value={q} onInput={(e) => search(() => setQ(e.currentTarget.value))} />
        </Field>
        <Field label="Status">
          <select
            value={status}
            onChange={(e) => search(() => setStatus(e.currentTarget.value as Status | ''))}
          >
            <option value="">Any</option>
            <option value="published">Published</option>
            <option value="draft">Draft</option>
            <option value="archived">Archived</option>
          </select>
        </Field>
      </form>
      {page.status === 'error' && <ErrorNote error={page.error} />}
      <table>
        <thead>
          <tr>
            <th scope="col">Title</th>
            <th scope="col">Status</th>
            <th scope="col">Variants</th>
            <th scope="col">Price</th>
          </tr>
        </thead>
        <tbody>
          {pages.map((product) => (
            <tr key={product.id}>
              <td>
                <a href={href(`products/${product.id}`)}>{product.title}</a>
                <br />
                <small class="muted">{product.handle}</small>
              </td>
              <td>
                <Badge>{product.status}</Badge>
              </td>
              <td>{product.variants.length}</td>
              <td>{priceSummary(product)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {page.status === 'loading' && <Loading what="products" />}
      {page.status === 'done' && pages.length === 0 && <p class="muted">No products match.</p>}
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
