/**
 * @module
 * Search input with scoped_search autocomplete from `<resource>/auto_complete_search`.
 */
import { Button, TextInputGroup, TextInputGroupMain, TextInputGroupUtilities } from '@patternfly/react-core';
import { useEffect, useId, useState } from 'react';

import { useAutoComplete } from '../api/hooks.ts';

/** Props of {@link SearchBar}. */
export interface SearchBarProps {
  /** API path of the resource, e.g. `/api/hosts` (completions from `/api/hosts/auto_complete_search`). */
  resource: string;
  value: string;
  /** Called with the query when the user searches (Enter, button, or picking a completion). */
  onSearch: (query: string) => void;
  /** Called on every edit (for a live count); optional. */
  onChange?: (query: string) => void;
  label?: string;
  placeholder?: string;
}

/** A search box with keyboard-driven completions (ARIA combobox). */
export function SearchBar({ resource, value, onSearch, onChange, label = 'Search', placeholder = 'Search' }: SearchBarProps) {
  const [text, setText] = useState(value);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const listId = useId();
  useEffect(() => setText(value), [value]);
  const suggestions = useAutoComplete(resource, text, open);
  const edit = (t: string) => {
    setText(t);
    setOpen(true);
    setActive(-1);
    onChange?.(t);
  };
  const submit = (q: string) => {
    setOpen(false);
    setActive(-1);
    onSearch(q);
  };
  const pick = (completed: string) => {
    const t = completed.endsWith(' ') ? completed : `${completed} `;
    setText(t);
    onChange?.(t);
    setActive(-1);
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown' && suggestions.length > 0) {
      e.preventDefault();
      setOpen(true);
      setActive((a) => (a + 1) % suggestions.length);
    } else if (e.key === 'ArrowUp' && suggestions.length > 0) {
      e.preventDefault();
      setActive((a) => (a <= 0 ? suggestions.length - 1 : a - 1));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const s = active >= 0 ? suggestions[active] : undefined;
      if (s && open) pick(s.completed);
      else submit(text.trim());
    } else if (e.key === 'Escape') setOpen(false);
  };
  const showList = open && suggestions.length > 0;
  return (
    <div className="remex-searchbar" style={{ position: 'relative', minWidth: 360, flex: 1 }}>
      <TextInputGroup>
        <TextInputGroupMain
          value={text}
          placeholder={placeholder}
          aria-label={label}
          role="combobox"
          aria-expanded={showList}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={active >= 0 ? `${listId}-${active}` : undefined}
          onChange={(_e, v) => edit(v)}
          onKeyDown={onKeyDown}
          onFocus={() => setOpen(true)}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
        />
        <TextInputGroupUtilities>
          <Button variant="control" aria-label={`${label}: search`} onClick={() => submit(text.trim())}>
            Search
          </Button>
        </TextInputGroupUtilities>
      </TextInputGroup>
      <ul
        id={listId}
        role="listbox"
        aria-label={`${label}: suggestions`}
        hidden={!showList}
        style={{ position: 'absolute', zIndex: 500, left: 0, right: 0, margin: 0, padding: 0, listStyle: 'none', background: 'var(--pf-t--global--background--color--floating--default, #fff)', boxShadow: 'var(--pf-t--global--box-shadow--md)', maxHeight: 300, overflow: 'auto' }}
      >
        {showList
          ? suggestions.map((s, i) => (
              <li
                key={`${s.completed}-${i}`}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                onMouseDown={(e) => {
                  e.preventDefault();
                  pick(s.completed);
                }}
                style={{ padding: '4px 8px', cursor: 'pointer', background: i === active ? 'var(--pf-t--global--background--color--primary--hover, #eee)' : undefined }}
              >
                {s.completed} {s.description ? <small style={{ opacity: 0.7 }}>— {s.description}</small> : null}
              </li>
            ))
          : null}
      </ul>
    </div>
  );
}
