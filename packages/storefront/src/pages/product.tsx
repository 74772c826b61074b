import type { StoreProduct } from '@merx/sdk';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ProductImage } from '../components/product-card.js';
import { Recommendations } from '../components/recommendations.js';
import { useShop } from '../context.js';
import { money } from '../format.js';
import { Link } from '../router.js';
import { errorMessage } from '../shop.js';
import { useAsync } from '../use-async.js';

type Variant = StoreProduct['variants'][number];

/** The variant whose options equal the chosen ones (every option chosen), or null. */
export function variantFor(product: StoreProduct, chosen: Record<string, string>): Variant | null {
  return (
    product.variants.find((variant) =>
      product.options.every((option) => variant.options[option.name] === chosen[option.name]),
    ) ?? null
  );
}

function stockText(variant: Variant | null): string {
  const availability = variant?.availability;
  if (!variant) return 'Choose options';
  if (!availability?.tracked) return 'In stock';
  if (!availability.in_stock) return 'Out of stock';
  if (availability.allow_backorder && (availability.available ?? 0) <= 0) return 'Available on back-order';
  return availability.available !== null && availability.available <= 5
    ? `Only ${availability.available} left`
    : 'In stock';
}

export function ProductPage({ handle }: { handle: string }) {
  const shop = useShop();
  const product = useAsync(
    () =>
      shop.store.get('/store/v1/products/{idOrHandle}', {
        params: { path: { idOrHandle: handle }, query: { currency: shop.currency } },
      }),
    [handle],
  );
  if (product.status === 'loading') return <p aria-busy="true">Loading…</p>;
  if (product.status === 'error')
    return (
      <section>
        <h1 tabIndex={-1}>Product not found</h1>
        <p>{errorMessage(product.error)}</p>
        <Link href="/">Back to the shop</Link>
      </section>
    );
  return <ProductDetail product={product.data} />;
}

function ProductDetail({ product }: { product: StoreProduct }) {
  const shop = useShop();
  const first = product.variants.find((v) => v.availability?.in_stock !== false) ?? product.variants[0];
  const [chosen, setChosen] = useState<Record<string, string>>(() => ({ ...(first?.options ?? {}) }));
  const [quantity, setQuantity] = useState(1);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const variant = useMemo(() => variantFor(product, chosen), [product, chosen]);
  const soldOut = !variant?.price || variant.availability?.in_stock === false;

  useEffect(() => {
    shop.track([{ type: 'product_view', product_id: product.id }]);
  }, [product.id, shop]);

  const add = async (event: Event) => {
    event.preventDefault();
    if (!variant || busy) return;
    setBusy(true);
    setError('');
    try {
      await shop.addToCart(variant.id, quantity, product.title);
      shop.openDrawer();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <article class="product">
        <div class="gallery">
          <ProductImage url={product.media[0]?.url ?? null} title={product.title} size="large" />
        </div>
        <div class="product-info">
          <h1 tabIndex={-1}>{product.title}</h1>
          <p class="price" data-testid="product-price">
            {variant?.price
              ? money(variant.price.amount, variant.price.currency, shop.locale)
              : 'Not available'}
          </p>
          <form onSubmit={add} class="buy-form">
            {product.options.map((option) => (
              <fieldset key={option.name} class="option-picker">
                <legend>{option.name}</legend>
                {option.values.map((value) => {
                  const candidate = variantFor(product, { ...chosen, [option.name]: value });
                  const unavailable = !candidate || candidate.availability?.in_stock === false;
                  return (
                    <label key={value} class={`swatch ${unavailable ? 'unavailable' : ''}`}>
                      <input
                        type="radio"
                        name={`option-${option.name}`}
                        value={value}
                        checked={chosen[option.name] === value}
                        onChange={() => setChosen((current) => ({ ...current, [option.name]: value }))}
                      />
                      <span>
                        {value}
                        {unavailable && <span class="visually-hidden"> (unavailable)</span>}
                      </span>
                    </label>
                  );
                })}
              </fieldset>
            ))}
            <p class={`stock ${soldOut ? 'out' : ''}`} data-testid="stock" aria-live="polite">
              {stockText(variant)}
            </p>
            <div class="buy-row">
              <label class="quantity-field">
                Quantity
                <input
                  type="number"
                  min={1}
                  max={99}
                  value={quantity}
                  onInput={(event) =>
                    setQuantity(Math.max(1, Math.min(99, Number(event.currentTarget.value) || 1)))
                  }
                />
              </label>
              {/* Not disabled while adding: a disabled button would drop keyboard focus. */}
              <button type="submit" class="button primary" disabled={soldOut} aria-busy={busy}>
                {busy ? 'Adding…' : 'Add to cart'}
              </button>
            </div>
            {error && (
              <p class="error" role="alert">
                {error}
              </p>
            )}
          </form>
          <div class="description">
            {product.description.split(/\n{2,}/).map((paragraph) => (
              <p key={paragraph}>{paragraph}</p>
            ))}
          </div>
          {Object.keys(product.attributes).length > 0 && (
            <dl class="attributes">
              {Object.entries(product.attributes).map(([name, value]) => (
                <div key={name}>
                  <dt>{name}</dt>
                  <dd>{String(value)}</dd>
                </div>
              ))}
            </dl>
          )}
        </div>
      </article>
      <Recommendations
        intent="complementary"
        product={product.id}
        title="Frequently bought together"
        limit={4}
      />
      <Recommendations intent="related" product={product.id} title="You may also like" />
    </>
  );
}
