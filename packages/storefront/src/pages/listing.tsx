import type { SearchResult } from '@merx/sdk';
import { useEffect, useState } from 'preact/hooks';
import { fromHit, ProductGrid } from '../components/product-card.js';
import { useShop } from '../context.js';
import { money } from '../format.js';
import { navigate, useLocation } from '../router.js';
import { errorMessage } from '../shop.js';

const SORTS = [
  ['relevance', 'Best match'],
  ['personalised', 'Recommended for you'],
  ['newest', 'Newest'],
  ['price_asc', 'Price: low to high'],
  ['price_desc', 'Price: high to low'],
  ['title', 'Name'],
] as const;
type Sort = (typeof SORTS)[number][0];

/** Filters live in the URL, so a filtered page can be shared, reloaded and navigated back to. */
function filtersOf(query: URLSearchParams) {
  const price = query.get('price')?.split('-');
  return {
    q: query.get('q') ?? '',
    sort: (query.get('sort') as Sort | null) ?? null,
    options: query.getAll('option'),
    category: query.get('category'),
    priceMin: price?.[0] ? Number(price[0]) : undefined,
    priceMax: price?.[1] ? Number(price[1]) : undefined,
    inStock: query.get('in_stock') === 'true',
  };
}

/** Category pages (`/c/:handle`) and search results (`/search?q=`): facets, sorting, more pages. */
export function ListingPage({ category }: { category?: string }) {
  const shop = useShop();
  const location = useLocation();
  const filters = filtersOf(location.query);
  const sort: Sort = filters.sort ?? (filters.q ? 'relevance' : 'newest');
  const [result, setResult] = useState<SearchResult | null>(null);
  const [more, setMore] = useState<SearchResult['data']>([]);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(true);
  const [next, setNext] = useState<{ cursor: string | null }>({ cursor: null });
  const key = `${category ?? ''}?${location.query.toString()}`;

  const search = (cursor?: string) =>
    shop.store.get('/store/v1/search', {
      params: {
        query: {
          q: filters.q || undefined,
          category: filters.category ?? category,
          option: filters.options.length ? filters.options : undefined,
          price_min: filters.priceMin,
          price_max: filters.priceMax,
          in_stock: filters.inStock || undefined,
          sort,
          limit: 24,
          cursor,
          facets: cursor === undefined,
          currency: shop.currency,
        },
        header: shop.store.signedIn ? {} : { 'x-visitor-id': shop.visitorId },
      },
    });

  // `key` captures every filter: the search re-runs when any of them changes.
  useEffect(() => {
    let current = true;
    setLoading(true);
    setMore([]);
    search().then(
      (page) => {
        if (!current) return;
        setResult(page);
        setNext({ cursor: page.has_more ? page.next_cursor : null });
        setError('');
        setLoading(false);
        if (filters.q) shop.track([{ type: 'search', query: filters.q }]);
      },
      (failure) => {
        if (!current) return;
        setError(errorMessage(failure));
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [key]);

  const setQuery = (change: (query: URLSearchParams) => void) => {
    const query = new URLSearchParams(location.query);
    change(query);
    navigate(`${location.path}?${query.toString()}`, { replace: true });
  };
  const toggleOption = (pair: string) =>
    setQuery((query) => {
      const options = query.getAll('option');
      query.delete('option');
      for (const option of options.includes(pair) ? options.filter((o) => o !== pair) : [...options, pair])
        query.append('option', option);
    });

  const facets = result?.facets;
  const title = category
    ? (facets?.categories.find((entry) => entry.handle === category)?.name ?? category.replace(/-/g, ' '))
    : filters.q
      ? `Results for “${filters.q}”`
      : 'All products';
  const loadMore = async () => {
    if (!next.cursor) return;
    try {
      const page = await search(next.cursor);
      setNext({ cursor: page.has_more ? page.next_cursor : null });
      setMore((items) => [...items, ...page.data]);
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };

  return (
    <div class="listing">
      <div class="listing-head">
        <h1 tabIndex={-1}>{title}</h1>
        {result && (
          <p class="muted" aria-live="polite">
            {result.total} product{result.total === 1 ? '' : 's'}
            {result.corrections.length > 0 &&
              ` · also searched for ${result.corrections.map((c) => c.corrected_to.join(', ')).join('; ')}`}
          </p>
        )}
        <label class="sort">
          Sort by{' '}
          <select
            value={sort}
            onChange={(event) => setQuery((query) => query.set('sort', event.currentTarget.value))}
          >
            {SORTS.filter(([value]) => value !== 'relevance' || filters.q).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div class="listing-body">
        {facets && (
          <aside class="facets" aria-label="Filters">
            {facets.categories.length > 1 && (
              <fieldset>
                <legend>Category</legend>
                {facets.categories.slice(0, 12).map((entry) => (
                  <label key={entry.id} class="facet">
                    <input
                      type="radio"
                      name="category"
                      checked={filters.category === entry.handle}
                      onChange={() => setQuery((query) => query.set('category', entry.handle ?? entry.id))}
                    />
                    {entry.name} <span class="muted">({entry.count})</span>
                  </label>
                ))}
              </fieldset>
            )}
            {facets.options.map((option) => (
              <fieldset key={option.name}>
                <legend>{option.name}</legend>
                {option.values.slice(0, 12).map((value) => {
                  const pair = `${option.name}:${value.value}`;
                  return (
                    <label key={pair} class="facet">
                      <input
                        type="checkbox"
                        checked={filters.options.includes(pair)}
                        onChange={() => toggleOption(pair)}
                      />
                      {value.value} <span class="muted">({value.count})</span>
                    </label>
                  );
                })}
              </fieldset>
            ))}
            {facets.price.length > 0 && (
              <fieldset>
                <legend>Price</legend>
                {facets.price.map((bucket) => {
                  const value = `${bucket.min}-${bucket.max ?? ''}`;
                  return (
                    <label key={value} class="facet">
                      <input
                        type="checkbox"
                        checked={location.query.get('price') === value}
                        onChange={(event) =>
                          setQuery((query) =>
                            event.currentTarget.checked ? query.set('price', value) : query.delete('price'),
                          )
                        }
                      />
                      {bucket.max === null
                        ? `${money(bucket.min, shop.currency, shop.locale)} and up`
                        : `${money(bucket.min, shop.currency, shop.locale)} – ${money(bucket.max, shop.currency, shop.locale)}`}{' '}
                      <span class="muted">({bucket.count})</span>
                    </label>
                  );
                })}
              </fieldset>
            )}
            <fieldset>
              <legend>Availability</legend>
              <label class="facet">
                <input
                  type="checkbox"
                  checked={filters.inStock}
                  onChange={(event) =>
                    setQuery((query) =>
                      event.currentTarget.checked ? query.set('in_stock', 'true') : query.delete('in_stock'),
                    )
                  }
                />
                In stock only <span class="muted">({facets.in_stock.true})</span>
              </label>
            </fieldset>
          </aside>
        )}
        <section class="results" aria-busy={loading}>
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          {result && result.data.length === 0 && <p>No products match. Try fewer filters.</p>}
          {result && (
            <ProductGrid
              products={[...result.data, ...more].map(fromHit)}
              label={title}
              list={category ? `category:${category}` : 'search'}
            />
          )}
          {result && next.cursor && (
            <button type="button" class="button wide" onClick={loadMore}>
              Show more
            </button>
          )}
        </section>
      </div>
    </div>
  );
}
