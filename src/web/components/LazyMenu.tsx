import { Menu, type MenuProps } from '@mantine/core';
import { cloneElement, startTransition, useEffect, useRef, useState, type ReactElement, type ReactNode, type Ref } from 'react';

interface LazyMenuProps extends Omit<MenuProps, 'children'> {
  /** The button that opens the menu (what would be Menu.Target's child). */
  target: ReactElement<{ ref?: Ref<HTMLElement> }>;
  /** The menu's content (what would be Menu.Dropdown's children). */
  children: ReactNode;
}

/**
 * Mantine's Menu, mounted once the page is idle rather than in its first render. A Menu's
 * popover updates its own state while it mounts (floating-ui's reference, the dropdown's
 * portal), and React renders such an update at once, running first every effect of the page's
 * first render in the same task: with the header's two menus and a list's export menu, the first
 * commit of a member's page was one task twice as long on a phone. Until then the button is
 * shown alone, announced as opening a menu; pressed before the menu is mounted (the page just
 * appeared), it mounts the menu and presses the menu's button, which opens it as any press does.
 */
export function LazyMenu({ target, children, ...menuProps }: LazyMenuProps) {
  const [live, setLive] = useState(false);
  const pressedEarly = useRef(false);
  const button = useRef<HTMLElement>(null);
  useEffect(() => {
    if (live) {
      if (pressedEarly.current) {
        pressedEarly.current = false;
        button.current?.focus();
        button.current?.click();
      }
      return;
    }
    const mount = () => startTransition(() => setLive(true));
    if (typeof requestIdleCallback === 'function') {
      const id = requestIdleCallback(mount, { timeout: 1500 });
      return () => cancelIdleCallback(id);
    }
    const id = setTimeout(mount, 300);
    return () => clearTimeout(id);
  }, [live]);
  if (!live)
    return cloneElement(target, {
      'aria-haspopup': 'menu',
      'aria-expanded': false,
      onClick: () => {
        pressedEarly.current = true;
        setLive(true);
      },
    } as Record<string, unknown>);
  return (
    <Menu {...menuProps}>
      <Menu.Target>{cloneElement(target, { ref: button })}</Menu.Target>
      <Menu.Dropdown>{children}</Menu.Dropdown>
    </Menu>
  );
}
