import { useState } from 'preact/hooks';
import { useShop } from '../context.js';
import { money, priceRange } from '../format.js';
import { Link } from '../router.js';

export interface CardProduct {
  id: string;
  handle: string;
  title: string;
  image_url: string | null;
  price: { min: number; max: number; currency: string } | null;
  in_stock?: boolean;
  reason?: string;
}

/** An image that falls back to the product's initials when it cannot load (e.g. offline). */
export function ProductImage({
  url,
  title,
  size = 'card',
}: {
  url: string | null;
  title: string;
  size?: string;
}) {
  const [failed, setFailed] = useState(false);
  if (!url || failed) {
    const initials = title
      .split(/\s+/)
      .filter((word) => /^[\p{L}\p{N}]/u.test(word))
      .slice(0, 2)
      .map((word) => word[0]?.toUpperCase() ?? '')
      .join('');
    return (
      <div class={`image placeholder ${size}`} role="img" aria-label={title}>
        <span aria-hidden="true">{initials}</span>
      </div>
    );
  }
  return <img class={`image ${size}`} src={url} alt={title} loading="lazy" onError={() => setFailed(true)} />;
}

export function ProductCard({ product, list }: { product: CardProduct; list?: string }) {
  const shop = useShop();
  return (
    <li class="card">
      <Link
        href={`/p/${encodeURIComponent(product.handle)}`}
        class="card-link"
        onClick={() => list && shop.track([{ type: 'list_click', product_id: product.id, list }])}
      >
        <ProductImage url={product.image_url} title={product.title} />
        <span class="card-title">{product.title}</span>
      </Link>
      <span class="card-price">
        {product.price ? priceRange(product.price, shop.locale) : 'Not available'}
        {product.in_stock === false && <span class="badge muted"> · Out of stock</span>}
      </span>
      {product.reason && <span class="card-reason">{product.reason}</span>}
    </li>
  );
}

export function ProductGrid({
  products,
  label,
  list,
}: {
  products: CardProduct[];
  label: string;
  list?: string;
}) {
  return (
    <ul class="grid" aria-label={label}>
      {products.map((product) => (
        <ProductCard key={product.id} product={product} list={list} />
      ))}
    </ul>
  );
}

export const fromHit = (hit: {
  id: string;
  handle: string;
  title: string;
  image_url: string | null;
  price_range: { min: number; max: number; currency: string } | null;
  in_stock: boolean;
}): CardProduct => ({ ...hit, price: hit.price_range });

export const fromRecommendation = (item: {
  product_id: string;
  handle: string;
  title: string;
  image_url: string | null;
  price: { amount: number; currency: string };
  reason: string;
}): CardProduct => ({
  id: item.product_id,
  handle: item.handle,
  title: item.title,
  image_url: item.image_url,
  price: { min: item.price.amount, max: item.price.amount, currency: item.price.currency },
  reason: item.reason,
});

export { money };
