import type { CustomerAddress, OrderSummary } from '@merx/sdk';
import { paginate } from '@merx/sdk';
import { useEffect, useState } from 'preact/hooks';
import { useShop } from '../context.js';
import { date, money } from '../format.js';
import { Link } from '../router.js';
import { errorMessage, useShopState } from '../shop.js';
import { AddressFields, type AddressInput, emptyAddress, toApiAddress } from './address-fields.js';

export function AccountPage() {
  const shop = useShop();
  const { customer } = useShopState(shop);
  return customer ? <SignedIn /> : <SignedOut />;
}

function useForm() {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError('');
    try {
      await work();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run };
}

function SignedOut() {
  const shop = useShop();
  const login = useForm();
  const register = useForm();
  const [registered, setRegistered] = useState('');
  const values = (form: HTMLFormElement) => Object.fromEntries(new FormData(form)) as Record<string, string>;
  return (
    <div class="account">
      <h1 tabIndex={-1}>Your account</h1>
      <div class="account-forms">
        <form
          aria-labelledby="login-title"
          onSubmit={(event) => {
            event.preventDefault();
            const { email, password } = values(event.currentTarget);
            void login.run(() => shop.login(email, password));
          }}
        >
          <h2 id="login-title">Sign in</h2>
          {registered && (
            <p class="success" role="status">
              Account created for {registered}. Sign in to continue.
            </p>
          )}
          <div class="field">
            <label for="login-email">Email</label>
            <input
              id="login-email"
              name="email"
              type="email"
              autoComplete="username"
              required
              defaultValue={registered}
            />
          </div>
          <div class="field">
            <label for="login-password">Password</label>
            <input
              id="login-password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
            />
          </div>
          <button type="submit" class="button primary" disabled={login.busy}>
            Sign in
          </button>
          {login.error && (
            <p class="error" role="alert">
              {login.error}
            </p>
          )}
        </form>
        <form
          aria-labelledby="register-title"
          onSubmit={(event) => {
            event.preventDefault();
            const form = values(event.currentTarget);
            void register.run(async () => {
              await shop.store.register({
                email: form.email,
                password: form.password,
                ...(form.first_name ? { first_name: form.first_name } : {}),
                ...(form.last_name ? { last_name: form.last_name } : {}),
              });
              setRegistered(form.email);
              (document.getElementById('login-password') as HTMLInputElement | null)?.focus();
            });
          }}
        >
          <h2 id="register-title">Create an account</h2>
          <div class="field">
            <label for="register-first">First name</label>
            <input id="register-first" name="first_name" autoComplete="given-name" />
          </div>
          <div class="field">
            <label for="register-last">Last name</label>
            <input id="register-last" name="last_name" autoComplete="family-name" />
          </div>
          <div class="field">
            <label for="register-email">Email</label>
            <input id="register-email" name="email" type="email" autoComplete="email" required />
          </div>
          <div class="field">
            <label for="register-password">Password</label>
            <input
              id="register-password"
              name="password"
              type="password"
              autoComplete="new-password"
              minLength={8}
              required
              aria-describedby="password-help"
            />
            <small id="password-help" class="muted">
              At least 8 characters.
            </small>
          </div>
          <button type="submit" class="button" disabled={register.busy}>
            Create account
          </button>
          {register.error && (
            <p class="error" role="alert">
              {register.error}
            </p>
          )}
        </form>
      </div>
    </div>
  );
}

function SignedIn() {
  const shop = useShop();
  const { customer } = useShopState(shop);
  const [orders, setOrders] = useState<OrderSummary[] | null>(null);
  useEffect(() => {
    (async () => {
      const all: OrderSummary[] = [];
      for await (const order of paginate((cursor) =>
        shop.store.get('/store/v1/customers/me/orders', { params: { query: { limit: 50, cursor } } }),
      )) {
        all.push(order);
        if (all.length >= 100) break;
      }
      setOrders(all);
    })().catch(() => setOrders([]));
  }, [shop]);
  if (!customer) return null;
  return (
    <div class="account">
      <h1 tabIndex={-1}>Hello, {customer.first_name ?? customer.email}</h1>
      <p>
        Signed in as {customer.email}.{' '}
        <button type="button" class="link-button" onClick={() => void shop.logout()}>
          Sign out
        </button>
      </p>
      <section aria-labelledby="orders-title">
        <h2 id="orders-title">Your orders</h2>
        {orders === null ? (
          <p aria-busy="true">Loading…</p>
        ) : orders.length === 0 ? (
          <p>No orders yet.</p>
        ) : (
          <table class="orders-table">
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Date</th>
                <th scope="col">Status</th>
                <th scope="col">Total</th>
              </tr>
            </thead>
            <tbody>
              {orders.map((order) => (
                <tr key={order.id}>
                  <td>
                    <Link href={`/orders/${order.id}`}>#{order.number}</Link>
                  </td>
                  <td>{date(order.placed_at ?? order.created_at, shop.locale)}</td>
                  <td>{order.status.replace(/_/g, ' ')}</td>
                  <td>{money(order.total, order.currency, shop.locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <Addresses />
      <Privacy />
    </div>
  );
}

function Addresses() {
  const shop = useShop();
  const [addresses, setAddresses] = useState<CustomerAddress[]>([]);
  const [draft, setDraft] = useState<AddressInput>(emptyAddress);
  const [adding, setAdding] = useState(false);
  const form = useForm();
  const reload = async () => setAddresses((await shop.store.get('/store/v1/customers/me/addresses')).data);
  useEffect(() => {
    reload().catch(() => {});
  }, []);
  return (
    <section aria-labelledby="addresses-title">
      <h2 id="addresses-title">Addresses</h2>
      {addresses.length === 0 && <p>No saved addresses.</p>}
      <ul class="address-list">
        {addresses.map((address) => (
          <li key={address.id}>
            <address>
              {[address.first_name, address.last_name].filter(Boolean).join(' ')}, {address.line1},{' '}
              {[address.postal_code, address.city].filter(Boolean).join(' ')}, {address.country}
            </address>
            <button
              type="button"
              class="link-button"
              onClick={() =>
                form.run(async () => {
                  await shop.store.delete('/store/v1/customers/me/addresses/{id}', {
                    params: { path: { id: address.id } },
                  });
                  await reload();
                })
              }
            >
              Delete<span class="visually-hidden"> address {address.line1}</span>
            </button>
          </li>
        ))}
      </ul>
      {adding ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void form.run(async () => {
              await shop.store.post('/store/v1/customers/me/addresses', { body: toApiAddress(draft) });
              setDraft(emptyAddress);
              setAdding(false);
              await reload();
            });
          }}
        >
          <AddressFields idPrefix="book" value={draft} onChange={setDraft} />
          <button type="submit" class="button" disabled={form.busy}>
            Save address
          </button>
        </form>
      ) : (
        <button type="button" class="button" onClick={() => setAdding(true)}>
          Add an address
        </button>
      )}
      {form.error && (
        <p class="error" role="alert">
          {form.error}
        </p>
      )}
    </section>
  );
}

function Privacy() {
  const shop = useShop();
  const { customer } = useShopState(shop);
  const form = useForm();
  const [message, setMessage] = useState('');
  const [consentShown, setConsentShown] = useState(customer?.consent_personalisation ?? false);
  if (!customer) return null;
  // Shown at once; put back if the server refuses.
  const setConsent = (consent: boolean) => {
    setConsentShown(consent);
    return form.run(async () => {
      try {
        const updated = await shop.store.patch('/store/v1/customers/me', {
          params: { header: { 'if-match': String(customer.version) } },
          body: { consent_personalisation: consent },
        });
        shop.update({ customer: updated });
        setMessage(consent ? 'Personalisation is on.' : 'Personalisation is off.');
      } catch (failure) {
        setConsentShown(!consent);
        throw failure;
      }
    });
  };
  const exportData = () =>
    form.run(async () => {
      const data = await shop.store.get('/store/v1/customers/me/data');
      const url = URL.createObjectURL(
        new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }),
      );
      const link = document.createElement('a');
      link.href = url;
      link.download = 'my-merx-data.json';
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      setMessage(`Exported ${data.interactions.length} interactions.`);
    });
  const deleteData = () => {
    if (
      !window.confirm('Delete everything we recorded about your browsing and purchases for recommendations?')
    )
      return;
    return form.run(async () => {
      await shop.store.delete('/store/v1/customers/me/data');
      setMessage('Your interaction data was deleted.');
    });
  };
  return (
    <section aria-labelledby="privacy-title">
      <h2 id="privacy-title">Privacy</h2>
      <label class="choice">
        <input
          type="checkbox"
          checked={consentShown}
          onChange={(event) => setConsent(event.currentTarget.checked)}
        />
        Use what I view and buy to personalise recommendations
      </label>
      <div class="button-row">
        <button type="button" class="button" onClick={exportData} disabled={form.busy}>
          Export my data
        </button>
        <button type="button" class="button danger" onClick={deleteData} disabled={form.busy}>
          Delete my data
        </button>
      </div>
      {message && (
        <p class="success" role="status">
          {message}
        </p>
      )}
      {form.error && (
        <p class="error" role="alert">
          {form.error}
        </p>
      )}
    </section>
  );
}
