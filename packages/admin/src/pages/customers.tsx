import type { components } from '@merx/sdk';
import { useState } from 'preact/hooks';
import { dateTime } from '../format.js';
import { Filters, Pager, useCursorList } from '../list.js';
import { ErrorNote, Field, Loading, Page, Status, useAction, useDashboard } from '../ui.js';
import { useAsync } from '../use-async.js';

type Segment = components['schemas']['Segment'];

const EXAMPLE_RULES = JSON.stringify(
  { match: 'all', conditions: [{ field: 'order_count', op: 'gte', value: 2 }] },
  null,
  2,
);

function CustomerList() {
  const { client } = useDashboard();
  const [q, setQ] = useState('');
  const list = useCursorList(
    (cursor) =>
      client.get('/admin/v1/customers', { params: { query: { limit: 25, cursor, q: q || undefined } } }),
    [q],
  );
  const { page, rows, filter } = list;
  return (
    <section aria-labelledby="customers-title">
      <h2 id="customers-title">Customers</h2>
      <Filters>
        <Field label="Search email or name">
          <input type="search" value={q} onInput={(e) => filter(() => setQ(e.currentTarget.value))} />
        </Field>
      </Filters>
      {page.status === 'error' && <ErrorNote error={page.error} />}
      <table>
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Name</th>
            <th scope="col">Personalisation</th>
            <th scope="col">Marketing</th>
            <th scope="col">Since</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((customer) => (
            <tr key={customer.id}>
              <td>{customer.email}</td>
              <td>{[customer.first_name, customer.last_name].filter(Boolean).join(' ') || '—'}</td>
              <td>{customer.consent_personalisation ? 'yes' : 'no'}</td>
              <td>{customer.consent_marketing ? 'yes' : 'no'}</td>
              <td>{dateTime(customer.created_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager list={list} what="customers" />
    </section>
  );
}

function SegmentMembers({ segment }: { segment: Segment }) {
  const { client } = useDashboard();
  const members = useAsync(
    () =>
      client.get('/admin/v1/segments/{id}/customers', {
        params: { path: { id: segment.id }, query: { limit: 50 } },
      }),
    [segment.id, segment.computed_at],
  );
  if (members.status === 'error') return <ErrorNote error={members.error} />;
  if (!members.data) return <Loading what="members" />;
  return (
    <ul class="members">
      {members.data.data.length === 0 && <li class="muted">No members.</li>}
      {members.data.data.map((member) => (
        <li key={member.id}>{member.email}</li>
      ))}
    </ul>
  );
}

function Segments() {
  const { client, can } = useDashboard();
  const list = useAsync(() => client.get('/admin/v1/segments', { params: { query: { limit: 100 } } }), []);
  const [open, setOpen] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [rules, setRules] = useState(EXAMPLE_RULES);
  const action = useAction();
  const create = async (event: Event) => {
    event.preventDefault();
    let parsed: Segment['rules'];
    try {
      parsed = JSON.parse(rules);
    } catch {
      return action.setError(new Error('Rules: not valid JSON'));
    }
    const created = await action.run(
      () => client.post('/admin/v1/segments', { body: { name, rules: parsed } }),
      'Segment created',
    );
    if (created) {
      setName('');
      list.reload();
    }
  };
  const refresh = async (segment: Segment) => {
    await action.run(
      () => client.post('/admin/v1/segments/{id}/refresh', { params: { path: { id: segment.id } } }),
      `${segment.name} recomputed`,
    );
    list.reload();
  };
  return (
    <section aria-labelledby="segments-title">
      <h2 id="segments-title">Segments</h2>
      {list.status === 'error' && <ErrorNote error={list.error} />}
      <table>
        <thead>
          <tr>
            <th scope="col">Segment</th>
            <th scope="col">Members</th>
            <th scope="col">Computed</th>
            <th scope="col">
              <span class="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.data?.data.map((segment) => (
            <>
              <tr key={segment.id}>
                <td>
                  {segment.name} <small class="muted">{segment.description}</small>
                </td>
                <td>{segment.member_count ?? '—'}</td>
                <td>{dateTime(segment.computed_at)}</td>
                <td class="row">
                  <button
                    type="button"
                    class="secondary"
                    aria-expanded={open === segment.id}
                    onClick={() => setOpen(open === segment.id ? null : segment.id)}
                  >
                    Members of {segment.name}
                  </button>
                  {can('customers:write') && (
                    <button
                      type="button"
                      class="secondary"
                      onClick={() => refresh(segment)}
                      disabled={action.busy}
                    >
                      Recompute
                    </button>
                  )}
                </td>
              </tr>
              {open === segment.id && (
                <tr key={`${segment.id}-members`}>
                  <td colSpan={4}>
                    <SegmentMembers segment={segment} />
                  </td>
                </tr>
              )}
            </>
          ))}
        </tbody>
      </table>
      {can('customers:write') && (
        <form class="card form" onSubmit={create} aria-label="New segment">
          <Field label="Segment name">
            <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </Field>
          <Field
            label="Rules (JSON)"
            hint="Fields: country, customer_group, channel, lifetime_spend, order_count, days_since_last_order, viewed_category, bought_category"
            wide
          >
            <textarea rows={6} value={rules} onInput={(e) => setRules(e.currentTarget.value)} class="mono" />
          </Field>
          <button type="submit" disabled={action.busy}>
            Create segment
          </button>
        </form>
      )}
      <Status done={action.done} />
      <ErrorNote error={action.error} />
    </section>
  );
}

export function CustomersPage() {
  return (
    <Page title="Customers">
      <CustomerList />
      <Segments />
    </Page>
  );
}
