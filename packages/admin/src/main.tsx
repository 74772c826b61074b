import { render } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { canOpen, visibleSections } from './access.js';
import { ChannelsPage } from './pages/channels.js';
import { CustomersPage } from './pages/customers.js';
import { HomePage } from './pages/home.js';
import { ImportPage } from './pages/import.js';
import { LoginPage } from './pages/login.js';
import { OrderPage } from './pages/order.js';
import { OrdersPage } from './pages/orders.js';
import { ProductEditor } from './pages/product-editor.js';
import { ProductsPage } from './pages/products.js';
import { PromotionsPage } from './pages/promotions.js';
import { WebhooksPage } from './pages/webhooks.js';
import { href, useRoute } from './router.js';
import { createClient, loadSession, type Session, saveSession } from './session.js';
import { DashboardContext, dashboardFor } from './ui.js';
import './styles.css';

function Route({ route }: { route: string }) {
  const [section, id] = route.split('/');
  switch (section) {
    case 'products':
      return id ? <ProductEditor id={id} /> : <ProductsPage />;
    case 'import':
      return <ImportPage />;
    case 'orders':
      return id ? <OrderPage id={id} /> : <OrdersPage />;
    case 'customers':
      return <CustomersPage />;
    case 'promotions':
      return <PromotionsPage />;
    case 'channels':
      return <ChannelsPage />;
    case 'webhooks':
      return <WebhooksPage />;
    default:
      return <HomePage />;
  }
}

function NotAllowed() {
  return (
    <div role="alert" class="error">
      <h1 tabIndex={-1}>Not available to your role</h1>
      <p>Your staff role does not include this part of the dashboard. Ask an owner if you need it.</p>
    </div>
  );
}

function App() {
  const [session, setSession] = useState(loadSession);
  const route = useRoute();
  const signIn = (next: Session | null) => {
    saveSession(next);
    setSession(next);
  };
  const dashboard = useMemo(
    () =>
      session &&
      dashboardFor(
        createClient(session.token, () => signIn(null)),
        session,
      ),
    [session],
  );
  if (!session || !dashboard) return <LoginPage onLogin={signIn} />;
  const section = route.split('/')[0];
  const logOut = async () => {
    await dashboard.client.post('/admin/v1/staff/logout').catch(() => undefined);
    signIn(null);
  };
  return (
    <DashboardContext.Provider value={dashboard}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <div class="shell">
        <nav aria-label="Dashboard">
          <p class="brand">Merx</p>
          <ul>
            {visibleSections(session.scopes).map((item) => (
              <li key={item.id}>
                <a href={href(item.id)} aria-current={item.id === section ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
          <div class="who">
            <span>{session.name}</span>
            <small>{session.role.replace('_', ' ')}</small>
            <button type="button" class="link" onClick={logOut}>
              Log out
            </button>
          </div>
        </nav>
        <main id="main">{canOpen(session.scopes, route) ? <Route route={route} /> : <NotAllowed />}</main>
      </div>
    </DashboardContext.Provider>
  );
}

const root = document.getElementById('app')!;
// The static "Loading…" placeholder goes; Preact renders into an empty container.
root.replaceChildren();
render(<App />, root);
