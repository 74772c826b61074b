import type { ChartConfiguration } from 'chart.js';
import { useMemo, useState } from 'preact/hooks';
import { ChartCanvas } from '../charts.js';
import { money, percent, toDecimal } from '../format.js';
import { ErrorNote, Field, Loading, Page, useDashboard } from '../ui.js';
import { useAsync } from '../use-async.js';

type Overview = Awaited<ReturnType<typeof loadOverview>>;
const loadOverview = (client: ReturnType<typeof useDashboard>['client'], days: number) =>
  client.get('/admin/v1/analytics/overview', { params: { query: { days } } });

/** The currency with the most revenue in the window: the one the revenue line is drawn in. */
function mainCurrency(overview: Overview): string | null {
  const totals = new Map<string, number>();
  for (const day of overview.daily)
    for (const { currency, amount } of day.revenue)
      totals.set(currency, (totals.get(currency) ?? 0) + amount);
  return [...totals].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

function charts(overview: Overview) {
  const currency = mainCurrency(overview);
  const labels = overview.daily.map((day) => day.date.slice(5));
  const revenueOf = (day: Overview['daily'][number]) =>
    Number(
      toDecimal(day.revenue.find((entry) => entry.currency === currency)?.amount ?? 0, currency ?? 'EUR'),
    );
  const sales: ChartConfiguration = {
    type: 'bar',
    data: {
      labels,
      datasets: [
        {
          type: 'bar',
          label: 'Orders',
          data: overview.daily.map((day) => day.orders),
          backgroundColor: '#93c5fd',
          yAxisID: 'orders',
        },
        {
          type: 'line',
          label: `Revenue (${currency ?? '—'})`,
          data: overview.daily.map(revenueOf),
          borderColor: '#155e75',
          backgroundColor: '#155e75',
          yAxisID: 'revenue',
        },
      ],
    },
    options: {
      scales: {
        orders: { type: 'linear', position: 'left', beginAtZero: true, ticks: { precision: 0 } },
        revenue: { type: 'linear', position: 'right', beginAtZero: true, grid: { drawOnChartArea: false } },
      },
    },
  };
  const top: ChartConfiguration = {
    type: 'bar',
    data: {
      labels: overview.top_products.map((product) => product.title),
      datasets: [
        {
          label: 'Units sold',
          data: overview.top_products.map((product) => product.units),
          backgroundColor: '#155e75',
        },
      ],
    },
    options: {
      indexAxis: 'y',
      plugins: { legend: { display: false } },
      scales: { x: { ticks: { precision: 0 } } },
    },
  };
  const { views, carts, orders } = overview.funnel;
  const funnel: ChartConfiguration = {
    type: 'bar',
    data: {
      labels: ['Product views', 'Carts', 'Orders'],
      datasets: [
        { label: 'Count', data: [views, carts, orders], backgroundColor: ['#bae6fd', '#38bdf8', '#0369a1'] },
      ],
    },
    options: {
      plugins: { legend: { display: false } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  };
  return { currency, sales, top, funnel };
}

function Charts({ overview }: { overview: Overview }) {
  const { currency, sales, top, funnel } = useMemo(() => charts(overview), [overview]);
  const totalOrders = overview.daily.reduce((sum, day) => sum + day.orders, 0);
  const totalRevenue = overview.daily.reduce(
    (sum, day) => sum + (day.revenue.find((entry) => entry.currency === currency)?.amount ?? 0),
    0,
  );
  const { rates } = overview.funnel;
  return (
    <>
      <section class="kpis" aria-label="Totals">
        <div>
          <small>Orders</small>
          <strong>{totalOrders}</strong>
        </div>
        <div>
          <small>Revenue</small>
          <strong>{currency ? money(totalRevenue, currency) : '—'}</strong>
        </div>
        <div>
          <small>View → cart</small>
          <strong>{percent(rates.view_to_cart)}</strong>
        </div>
        <div>
          <small>Cart → order</small>
          <strong>{percent(rates.cart_to_order)}</strong>
        </div>
      </section>
      <div class="grid">
        <section class="card span-2">
          <h2>Orders and revenue per day</h2>
          <ChartCanvas
            config={sales}
            label={`${totalOrders} orders over ${overview.days} days, bars per day with a revenue line`}
          />
        </section>
        <section class="card">
          <h2>Top products</h2>
          {overview.top_products.length === 0 ? (
            <p class="muted">No sales in this period.</p>
          ) : (
            <ChartCanvas
              config={top}
              label={`Best sellers: ${overview.top_products.map((p) => `${p.title} ${p.units}`).join(', ')}`}
            />
          )}
        </section>
        <section class="card">
          <h2>Conversion</h2>
          <ChartCanvas
            config={funnel}
            label={`${overview.funnel.views} views, ${overview.funnel.carts} carts, ${overview.funnel.orders} orders`}
          />
          <p class="muted">
            Views → carts {percent(rates.view_to_cart)} · carts → orders {percent(rates.cart_to_order)} ·
            views → orders {percent(rates.view_to_order)}. Views count shoppers who consented to tracking.
          </p>
        </section>
      </div>
    </>
  );
}

export function HomePage() {
  const { client, can, session } = useDashboard();
  const [days, setDays] = useState(30);
  const allowed = can('orders:read');
  const overview = useAsync(
    () => (allowed ? loadOverview(client, days) : Promise.resolve(null)),
    [days, allowed],
  );
  return (
    <Page
      title={`Welcome, ${session.name}`}
      actions={
        allowed && (
          <Field label="Period">
            <select value={days} onChange={(e) => setDays(Number(e.currentTarget.value))}>
              <option value={7}>Last 7 days</option>
              <option value={30}>Last 30 days</option>
              <option value={90}>Last 90 days</option>
            </select>
          </Field>
        )
      }
    >
      {!allowed && <p>Your role works on the catalog: pick a section on the left.</p>}
      {allowed && overview.status === 'error' && <ErrorNote error={overview.error} />}
      {allowed && !overview.data && overview.status === 'loading' && <Loading what="the sales overview" />}
      {overview.data && <Charts overview={overview.data} />}
    </Page>
  );
}
