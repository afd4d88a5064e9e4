/**
 * @module
 * The masthead's user menu: the logged-in login, "My account" (roles, tokens) and "Log out"
 * (ends the browser session).
 */
import { Dropdown, DropdownItem, DropdownList, MenuToggle } from '@patternfly/react-core';
import { useState } from 'react';
import { useNavigate } from 'react-router';

import { useSession } from '../api/session.tsx';

/** The user menu of the masthead. */
export function UserMenu() {
  const { login, signOut } = useSession();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  return (
    <Dropdown
      isOpen={open}
      onOpenChange={setOpen}
      onSelect={() => setOpen(false)}
      popperProps={{ position: 'right' }}
      toggle={(ref) => (
        <MenuToggle ref={ref} variant="plainText" aria-label="User menu" isExpanded={open} onClick={() => setOpen((o) => !o)}>
          {login}
        </MenuToggle>
      )}
    >
      <DropdownList>
        <DropdownItem key="account" onClick={() => void navigate(`/users/${encodeURIComponent(login ?? '')}`)}>
          My account
        </DropdownItem>
        <DropdownItem key="logout" onClick={() => void signOut().catch(() => undefined)}>
          Log out
        </DropdownItem>
      </DropdownList>
    </Dropdown>
  );
}
