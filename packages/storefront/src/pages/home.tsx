import { fromHit, ProductGrid } from '../components/product-card.js';
import { Recommendations } from '../components/recommendations.js';
import { useShop } from '../context.js';
import { Link } from '../router.js';
import { useShopState } from '../shop.js';
import { useAsync } from '../use-async.js';

export function HomePage() {
  const shop = useShop();
  const { customer } = useShopState(shop);
  const categories = useAsync(() => shop.store.get('/store/v1/categories'), []);
  const newest = useAsync(
    () =>
      shop.store.get('/store/v1/search', {
        params: {
          query: { sort: 'newest', limit: 8, facets: false, currency: shop.currency, in_stock: true },
        },
      }),
    [],
  );
  const topLevel = categories.status === 'done' ? categories.data.data : [];
  return (
    <>
      <section class="hero">
        <h1 tabIndex={-1}>
          {customer?.first_name ? `Welcome back, ${customer.first_name}` : 'Find something good'}
        </h1>
        <p>Fresh picks from the whole catalog, live prices and stock, one cart on all your devices.</p>
      </section>
      {topLevel.length > 0 && (
        <section aria-labelledby="categories-title">
          <h2 id="categories-title">Shop by category</h2>
          <ul class="chips">
            {topLevel.map((category) => (
              <li key={category.id}>
                <Link class="chip" href={`/c/${encodeURIComponent(category.handle)}`}>
                  {category.name}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      <Recommendations intent="for_you" title="Picked for you" />
      <Recommendations intent="trending" title="Trending now" />
      {newest.status === 'done' && newest.data.data.length > 0 && (
        <section aria-labelledby="new-title" class="rail">
          <h2 id="new-title">New arrivals</h2>
          <ProductGrid products={newest.data.data.map(fromHit)} label="New arrivals" list="home:new" />
        </section>
      )}
    </>
  );
}
