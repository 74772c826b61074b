import { useShop } from '../context.js';
import { useAsync } from '../use-async.js';
import { fromRecommendation, ProductGrid } from './product-card.js';

type Intent = 'related' | 'complementary' | 'for_you' | 'trending' | 'recently_viewed';

/**
 * A titled rail of recommendations; renders nothing when there are none (or when the
 * server does not offer recommendations), so pages never show an empty box.
 */
export function Recommendations(props: {
  intent: Intent;
  title: string;
  product?: string;
  cart?: string;
  limit?: number;
}) {
  const shop = useShop();
  const result = useAsync(
    () =>
      shop.store.get('/store/v1/recommendations', {
        params: {
          query: {
            intent: props.intent,
            product: props.product,
            cart: props.cart,
            limit: props.limit ?? 8,
            currency: shop.currency,
          },
          header: shop.store.signedIn ? {} : { 'x-visitor-id': shop.visitorId },
        },
      }),
    [props.intent, props.product, props.cart, shop.store.signedIn],
  );
  if (result.status !== 'done' || result.data.data.length === 0) return null;
  const id = `rec-${props.intent}`;
  return (
    <section aria-labelledby={id} class="rail">
      <h2 id={id}>{props.title}</h2>
      <ProductGrid
        products={result.data.data.map(fromRecommendation)}
        label={props.title}
        list={`recommendations:${props.intent}`}
      />
    </section>
  );
}
