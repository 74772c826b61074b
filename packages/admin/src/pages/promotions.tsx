import type { components } from '@merx/sdk';
import { useState } from 'preact/hooks';
import { money, parseAmount } from '../format.js';
import { Badge, ErrorNote, Field, Page, Status, useAction, useDashboard } from '../ui.js';
import { useAsync } from '../use-async.js';

type Promotion = components['schemas']['Promotion'];
type Kind = 'percentage' | 'fixed';

/** "10 % off" / "€5.00 off" / "buy 2 get 1": what the merchant reads in the list. */
function describe(promotion: Promotion): string {
  if (promotion.kind === 'percentage') return `${promotion.value / 100} % off`;
  if (promotion.kind === 'fixed')
    return `${money(promotion.value, promotion.conditions.currency ?? 'EUR')} off`;
  const offer = promotion.buy_x_get_y;
  return offer ? `buy ${offer.buy_quantity} get ${offer.get_quantity}` : 'buy X get Y';
}

export function PromotionsPage() {
  const { client, can } = useDashboard();
  const list = useAsync(() => client.get('/admin/v1/promotions', { params: { query: { limit: 100 } } }), []);
  const [name, setName] = useState('');
  const [code, setCode] = useState('');
  const [kind, setKind] = useState<Kind>('percentage');
  const [value, setValue] = useState('10');
  const [currency, setCurrency] = useState('EUR');
  const [limit, setLimit] = useState('');
  const action = useAction();
  const writable = can('promotions:write');

  const create = async (event: Event) => {
    event.preventDefault();
    // Percentages are stored in basis points, fixed amounts in minor units.
    const amount = kind === 'percentage' ? Math.round(Number(value) * 100) : parseAmount(value, currency);
    if (amount === null || !Number.isFinite(amount) || amount <= 0)
      return action.setError(
        new Error(`Value: "${value}" is not a positive ${kind === 'percentage' ? 'percentage' : 'amount'}`),
      );
    const created = await action.run(
      () =>
        client.post('/admin/v1/promotions', {
          body: {
            name,
            code: code || null,
            kind,
            value: amount,
            ...(kind === 'fixed' ? { conditions: { currency } } : {}),
            ...(limit ? { usage_limit: Number(limit) } : {}),
          },
        }),
      'Promotion created',
    );
    if (created) {
      setName('');
      setCode('');
      list.reload();
    }
  };
  const toggle = async (promotion: Promotion) => {
    await action.run(() =>
      client.patch('/admin/v1/promotions/{id}', {
        params: { path: { id: promotion.id }, header: { 'if-match': String(promotion.version) } },
        body: { active: !promotion.active },
      }),
    );
    list.reload();
  };

  return (
    <Page title="Promotions">
      {list.status === 'error' && <ErrorNote error={list.error} />}
      <table>
        <thead>
          <tr>
            <th scope="col">Promotion</th>
            <th scope="col">Code</th>
            <th scope="col">Offer</th>
            <th scope="col">Used</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {list.data?.data.map((promotion) => (
            <tr key={promotion.id}>
              <td>{promotion.name}</td>
              <td>{promotion.code ? <code>{promotion.code}</code> : <span class="muted">automatic</span>}</td>
              <td>{describe(promotion)}</td>
              <td>
                {promotion.times_used}
                {promotion.usage_limit !== null && ` / ${promotion.usage_limit}`}
              </td>
              <td>
                {writable ? (
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => toggle(promotion)}
                    aria-pressed={promotion.active}
                  >
                    {promotion.active ? 'Active' : 'Paused'}
                    <span class="sr-only">
                      {' '}
                      {promotion.name}, press to {promotion.active ? 'pause' : 'activate'}
                    </span>
                  </button>
                ) : (
                  <Badge>{promotion.active ? 'active' : 'paused'}</Badge>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {writable && (
        <form class="card form" onSubmit={create} aria-label="New promotion">
          <h2 class="wide">New promotion</h2>
          <Field label="Name">
            <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </Field>
          <Field label="Code" hint="Empty: applies automatically">
            <input
              pattern="[A-Za-z0-9_-]{1,64}"
              value={code}
              onInput={(e) => setCode(e.currentTarget.value)}
            />
          </Field>
          <Field label="Kind">
            <select value={kind} onChange={(e) => setKind(e.currentTarget.value as Kind)}>
              <option value="percentage">Percentage off</option>
              <option value="fixed">Amount off</option>
            </select>
          </Field>
          <Field label={kind === 'percentage' ? 'Percent off' : 'Amount off'}>
            <input
              required
              inputMode="decimal"
              value={value}
              onInput={(e) => setValue(e.currentTarget.value)}
            />
          </Field>
          {kind === 'fixed' && (
            <Field label="Currency">
              <input
                required
                pattern="[A-Z]{3}"
                maxLength={3}
                value={currency}
                onInput={(e) => setCurrency(e.currentTarget.value.toUpperCase())}
              />
            </Field>
          )}
          <Field label="Usage limit" hint="Empty: unlimited">
            <input type="number" min={1} value={limit} onInput={(e) => setLimit(e.currentTarget.value)} />
          </Field>
          <button type="submit" disabled={action.busy}>
            Create promotion
          </button>
        </form>
      )}
      <Status done={action.done} />
      <ErrorNote error={action.error} />
    </Page>
  );
}
