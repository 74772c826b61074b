import type { components } from '@merx/sdk';
import { useState } from 'preact/hooks';
import { money } from '../format.js';
import { Filters, Pager, useCursorList } from '../list.js';
import { href } from '../router.js';
import { Badge, ErrorNote, Field, Page, useDashboard } from '../ui.js';

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
  const list = useCursorList(
    (cursor) =>
      client.get('/admin/v1/products', {
        params: { query: { limit: 25, cursor, ...(q ? { q } : {}), ...(status ? { status } : {}) } },
      }),
    [q, status],
  );
  const { page, rows, filter } = list;
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
      <Filters>
        <Field label="Search title or handle">
          <input type="search" value={q} onInput={(e) => filter(() => setQ(e.currentTarget.value))} />
        </Field>
        <Field label="Status">
          <select
            value={status}
            onChange={(e) => filter(() => setStatus(e.currentTarget.value as Status | ''))}
          >
            <option value="">Any</option>
            <option value="published">Published</option>
            <option value="draft">Draft</option>
            <option value="archived">Archived</option>
          </select>
        </Field>
      </Filters>
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
          {rows.map((product) => (
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
      <Pager list={list} what="products" empty="No products match." />
    </Page>
  );
}
