import { useEffect, useState } from 'preact/hooks';

/**
 * Hash routes (`/admin/#/products/prod_…`): the server serves one index.html at `/admin`
 * and never has to tell a dashboard route from an API path under `/admin/v1`.
 */
const current = () => decodeURI(window.location.hash.replace(/^#\/?/, '')) || 'home';

export function useRoute(): string {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const update = () => {
      setRoute(current());
      // Keyboard and screen-reader users land on the new page's heading.
      requestAnimationFrame(() => document.querySelector<HTMLElement>('main h1')?.focus());
    };
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

export const href = (route: string) => `#/${route}`;

export function go(route: string): void {
  window.location.hash = `/${route}`;
}
