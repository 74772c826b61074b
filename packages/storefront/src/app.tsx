import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { CartDrawer } from './components/cart-drawer.js';
import { SearchBox } from './components/search-box.js';
import { ShopContext, useShop } from './context.js';
import { AccountPage } from './pages/account.js';
import { CheckoutPage } from './pages/checkout.js';
import { HomePage } from './pages/home.js';
import { ListingPage } from './pages/listing.js';
import { OrderPage } from './pages/order.js';
import { ProductPage } from './pages/product.js';
import { Link, match, useLocation } from './router.js';
import { type Shop, setVisitorConsent, useShopState, visitorConsent } from './shop.js';

function Header() {
  const shop = useShop();
  const { cart, customer } = useShopState(shop);
  const location = useLocation();
  const count = cart?.lines.reduce((sum, line) => sum + line.quantity, 0) ?? 0;
  return (
    <header class="site-header">
      <a href="#main" class="skip-link">
        Skip to content
      </a>
      <Link href="/" class="logo">
        {shop.config.channel?.name ?? 'Merx Store'}
      </Link>
      <SearchBox initial={location.path === '/search' ? (location.query.get('q') ?? '') : ''} />
      <nav aria-label="Account and cart" class="header-actions">
        <Link href="/account" class="header-link">
          {customer ? `Hi, ${customer.first_name ?? 'there'}` : 'Sign in'}
        </Link>
        <button
          type="button"
          class="button cart-button"
          onClick={() => shop.openDrawer()}
          aria-haspopup="dialog"
        >
          Cart{' '}
          <span class="count" data-testid="cart-count">
            {count}
          </span>
          <span class="visually-hidden"> items</span>
        </button>
      </nav>
    </header>
  );
}

/** Visitors choose whether their browsing may personalise the shop; nothing is tracked before. */
function ConsentBanner() {
  const shop = useShop();
  const { customer, consentAsked } = useShopState(shop);
  if (customer || (!consentAsked && visitorConsent() !== null)) return null;
  const answer = (consent: boolean) => {
    const before = visitorConsent();
    setVisitorConsent(consent);
    shop.update({ consentAsked: false });
    // Saying yes travels with the next tracked interaction. Taking a yes back must reach the
    // server now (it deletes the visitor's history); the API takes consent only with a batch,
    // and the batch's event is dropped with the consent withdrawn.
    if (before === true && !consent) {
      shop.store
        .post('/store/v1/events', {
          body: {
            visitor_id: shop.visitorId,
            consent: false,
            events: [{ type: 'search', query: 'consent' }],
          },
        })
        .catch(() => {});
    }
  };
  return (
    <aside class="consent" aria-label="Personalisation">
      <p>May we use what you view and buy here to recommend products? You can change this any time.</p>
      <button type="button" class="button primary" onClick={() => answer(true)}>
        Yes, personalise
      </button>
      <button type="button" class="button" onClick={() => answer(false)}>
        No thanks
      </button>
    </aside>
  );
}

type Route = [pattern: string, page: (params: Record<string, string>) => JSX.Element];

const ROUTES: Route[] = [
  ['/', () => <HomePage />],
  ['/c/:handle', (p) => <ListingPage key={p.handle} category={p.handle} />],
  ['/search', () => <ListingPage key="search" />],
  ['/p/:handle', (p) => <ProductPage key={p.handle} handle={p.handle} />],
  ['/checkout', () => <CheckoutPage />],
  ['/orders/:id', (p) => <OrderPage key={p.id} id={p.id} />],
  ['/account', () => <AccountPage />],
];

function Routes() {
  const { path } = useLocation();
  for (const [pattern, page] of ROUTES) {
    const params = match(pattern, path);
    if (params) return page(params);
  }
  return (
    <section>
      <h1 tabIndex={-1}>Page not found</h1>
      <p>
        <Link href="/">Back to the shop</Link>
      </p>
    </section>
  );
}

function Announcer() {
  const shop = useShop();
  const { announcement } = useShopState(shop);
  const [visible, setVisible] = useState('');
  useEffect(() => {
    if (!announcement) return;
    setVisible(announcement);
    const timer = setTimeout(() => setVisible(''), 4000);
    return () => clearTimeout(timer);
  }, [announcement]);
  return (
    <div class={`toast ${visible ? 'show' : ''}`} role="status" aria-live="polite">
      {visible}
    </div>
  );
}

export function App({ shop }: { shop: Shop }) {
  return (
    <ShopContext.Provider value={shop}>
      <Header />
      <ConsentBanner />
      <main id="main">
        <Routes />
      </main>
      <footer class="site-footer">
        <p>
          A reference head built only on <code>@merx/sdk</code>.{' '}
          <button type="button" class="link-button" onClick={() => shop.update({ consentAsked: true })}>
            Privacy choices
          </button>
        </p>
      </footer>
      <CartDrawer />
      <Announcer />
    </ShopContext.Provider>
  );
}
