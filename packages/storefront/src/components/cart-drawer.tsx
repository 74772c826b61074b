import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useShop } from '../context.js';
import { money } from '../format.js';
import { Link, navigate } from '../router.js';
import { errorMessage, useShopState } from '../shop.js';
import { ProductImage } from './product-card.js';

/**
 * The cart as a dialog. It follows the cart stream, so a line added on another device
 * appears here without a reload. Focus moves in on open and back to the opener on close.
 */
export function CartDrawer() {
  const shop = useShop();
  const { cart, drawerOpen, notices, live } = useShopState(shop);
  const [error, setError] = useState('');
  const panel = useRef<HTMLDivElement>(null);
  const opener = useRef<Element | null>(null);

  // A layout effect runs before the browser paints or handles another key: with a plain
  // effect a fast Tab could move focus first, and the drawer then remembered the wrong opener.
  useLayoutEffect(() => {
    if (drawerOpen) {
      opener.current = document.activeElement;
      panel.current?.focus();
    } else if (opener.current instanceof HTMLElement && opener.current.isConnected) {
      // Back to the control that opened the cart, so keyboard users keep their place.
      opener.current.focus();
      opener.current = null;
    }
  }, [drawerOpen]);

  if (!drawerOpen) return null;
  const close = () => shop.openDrawer(false);
  const lines = cart?.lines ?? [];
  const change = async (lineId: string, quantity: number) => {
    setError('');
    try {
      await shop.setQuantity(lineId, quantity);
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };

  return (
    <div class="drawer-backdrop">
      {/* Clicking beside the drawer closes it; keyboard users have Escape and the close button. */}
      <button type="button" class="scrim" tabIndex={-1} aria-hidden="true" onClick={close} />
      <div
        class="drawer"
        role="dialog"
        aria-modal="true"
        aria-labelledby="cart-title"
        tabIndex={-1}
        ref={panel}
        onKeyDown={(event) => {
          if (event.key === 'Escape') close();
          if (event.key === 'Tab' && panel.current) {
            // Keep Tab inside the open dialog.
            const focusable = panel.current.querySelectorAll<HTMLElement>(
              'a[href], button:not([disabled]), input',
            );
            const first = focusable[0];
            const last = focusable[focusable.length - 1];
            if (event.shiftKey && document.activeElement === first) {
              event.preventDefault();
              last?.focus();
            } else if (!event.shiftKey && document.activeElement === last) {
              event.preventDefault();
              first?.focus();
            }
          }
        }}
      >
        <header class="drawer-header">
          <h2 id="cart-title">Your cart</h2>
          <span
            class={`live-dot ${live ? 'on' : ''}`}
            title={live ? 'Live: changes on your other devices show here' : 'Connecting…'}
          >
            <span class="visually-hidden">{live ? 'Live updates on' : 'Live updates connecting'}</span>
          </span>
          <button type="button" class="icon-button" onClick={close} aria-label="Close cart">
            ×
          </button>
        </header>
        {lines.length === 0 ? (
          <p class="empty">Your cart is empty.</p>
        ) : (
          <ul class="cart-lines" aria-label="Cart items">
            {lines.map((line) => {
              const notice = notices.find((entry) => entry.line_id === line.id);
              return (
                <li key={line.id} class="cart-line" data-variant={line.variant_id}>
                  <ProductImage url={line.image_url} title={line.product_title ?? ''} size="thumb" />
                  <div class="cart-line-body">
                    <Link href={`/p/${encodeURIComponent(line.product_handle ?? '')}`} onClick={close}>
                      {line.product_title}
                    </Link>
                    <span class="muted">{line.variant_title}</span>
                    {notice && (
                      <span class="notice" role="status">
                        {notice.type === 'price_changed'
                          ? `Price changed from ${money(notice.previous_unit_price, cart!.currency, shop.locale)}`
                          : notice.type === 'out_of_stock'
                            ? 'No longer in stock'
                            : 'No longer available here'}
                      </span>
                    )}
                    <div class="quantity">
                      <button
                        type="button"
                        class="icon-button"
                        aria-label={`One fewer ${line.product_title}`}
                        onClick={() => change(line.id, line.quantity - 1)}
                      >
                        −
                      </button>
                      <span class="line-quantity">
                        <span class="visually-hidden">Quantity </span>
                        {line.quantity}
                      </span>
                      <button
                        type="button"
                        class="icon-button"
                        aria-label={`One more ${line.product_title}`}
                        onClick={() => change(line.id, line.quantity + 1)}
                      >
                        +
                      </button>
                      <button type="button" class="link-button" onClick={() => change(line.id, 0)}>
                        Remove
                      </button>
                    </div>
                  </div>
                  <span class="line-total">{money(line.subtotal, cart!.currency, shop.locale)}</span>
                </li>
              );
            })}
          </ul>
        )}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {cart && lines.length > 0 && (
          <footer class="drawer-footer">
            <p class="total-row">
              <span>Subtotal</span>
              <strong data-testid="cart-subtotal">
                {money(cart.totals.subtotal, cart.currency, shop.locale)}
              </strong>
            </p>
            <button
              type="button"
              class="button primary wide"
              onClick={() => {
                close();
                navigate('/checkout');
              }}
            >
              Check out
            </button>
          </footer>
        )}
      </div>
    </div>
  );
}
