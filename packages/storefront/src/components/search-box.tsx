import { useEffect, useRef, useState } from 'preact/hooks';
import { useShop } from '../context.js';
import { navigate } from '../router.js';

interface Suggestion {
  type: 'category' | 'product';
  id: string;
  handle: string;
  text: string;
}

const hrefOf = (s: Suggestion) =>
  s.type === 'category' ? `/c/${encodeURIComponent(s.handle)}` : `/p/${encodeURIComponent(s.handle)}`;

/** The WAI-ARIA combobox pattern: type, arrow through suggestions, Enter to open, Escape to close. */
export function SearchBox({ initial = '' }: { initial?: string }) {
  const shop = useShop();
  const [text, setText] = useState(initial);
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const latest = useRef(0);

  useEffect(() => setText(initial), [initial]);

  useEffect(() => {
    const q = text.trim();
    if (q.length < 2) {
      setSuggestions([]);
      return;
    }
    const ticket = ++latest.current;
    // Debounced: one request per pause in typing, and only the newest answer is shown.
    const timer = setTimeout(async () => {
      try {
        const result = await shop.store.get('/store/v1/search/suggest', {
          params: { query: { q, limit: 8 } },
        });
        if (ticket !== latest.current) return;
        setSuggestions(result.data);
        setActive(-1);
      } catch {
        if (ticket === latest.current) setSuggestions([]);
      }
    }, 150);
    return () => clearTimeout(timer);
  }, [text, shop]);

  const go = (href: string) => {
    setOpen(false);
    navigate(href);
  };
  const submit = (event: Event) => {
    event.preventDefault();
    if (open && active >= 0 && suggestions[active]) return go(hrefOf(suggestions[active]));
    const q = text.trim();
    if (q) go(`/search?q=${encodeURIComponent(q)}`);
  };
  const showList = open && suggestions.length > 0;

  return (
    // biome-ignore lint/a11y/useSemanticElements: <search> is too new for some browsers this shop supports
    <form role="search" class="search" onSubmit={submit}>
      <label for="search-input" class="visually-hidden">
        Search products
      </label>
      <input
        id="search-input"
        type="text"
        enterKeyHint="search"
        // biome-ignore lint/a11y/noRedundantRoles: `list` is unset at run time, so without this it is a plain textbox
        role="combobox"
        // Preact's types ask a combobox for a <datalist>; the popup here is the listbox below.
        list={undefined}
        autoComplete="off"
        placeholder="Search products"
        aria-autocomplete="list"
        aria-controls="search-suggestions"
        aria-expanded={showList}
        aria-activedescendant={showList && active >= 0 ? `suggestion-${active}` : undefined}
        value={text}
        onInput={(event) => {
          setText(event.currentTarget.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') {
            event.preventDefault();
            setOpen(true);
            setActive((index) => Math.min(suggestions.length - 1, index + 1));
          } else if (event.key === 'ArrowUp') {
            event.preventDefault();
            setActive((index) => Math.max(-1, index - 1));
          } else if (event.key === 'Escape') {
            setOpen(false);
            setActive(-1);
          }
        }}
      />
      <button type="submit" class="button">
        Search
      </button>
      <div
        id="search-suggestions"
        role="listbox"
        aria-label="Suggestions"
        class="suggestions"
        hidden={!showList}
      >
        {suggestions.map((suggestion, index) => (
          <div
            key={`${suggestion.type}-${suggestion.id}`}
            id={`suggestion-${index}`}
            role="option"
            tabIndex={-1}
            aria-selected={index === active}
            class={index === active ? 'active' : ''}
            onMouseDown={(event) => {
              event.preventDefault();
              go(hrefOf(suggestion));
            }}
          >
            <span class="suggestion-kind">{suggestion.type === 'category' ? 'Category' : 'Product'}</span>{' '}
            {suggestion.text}
          </div>
        ))}
      </div>
    </form>
  );
}
