import { Anchor, Button, type AnchorProps, type ButtonProps } from '@mantine/core';
import { Link, useRouter } from '@tanstack/react-router';
import type { MouseEvent, ReactNode } from 'react';

interface LinkTarget {
  to: string;
  params?: Record<string, string>;
  search?: Record<string, unknown>;
  /** A fragment (without `#`): a place on the page, e.g. one concept of a vocabulary. */
  hash?: string;
  children?: ReactNode;
  'aria-label'?: string;
  'aria-current'?: 'page' | undefined;
  onClick?: () => void;
  'data-testid'?: string;
}

/** A router link that looks like a Mantine Anchor. */
export function AppLink({ to, params, search, hash, children, ...rest }: LinkTarget & AnchorProps) {
  return (
    <Anchor
      {...rest}
      renderRoot={(props) => <Link to={to} params={params as never} search={search as never} hash={hash} {...props} />}
    >
      {children}
    </Anchor>
  );
}

/** A router link that looks like a Mantine Button. */
export function ButtonLink({ to, params, search, children, ...rest }: LinkTarget & ButtonProps) {
  return (
    <Button {...rest} renderRoot={(props) => <Link to={to} params={params as never} search={search as never} {...props} />}>
      {children}
    </Button>
  );
}

/**
 * A link in a long list's rows: an Anchor whose address is the route with its parameters filled
 * in, navigating with the router on a plain click (a click with a modifier key or another button
 * is the browser's: a new tab, a download). TanStack's Link builds its location and subscribes to
 * the router's state in every instance, and re-renders with each state change of a page's first
 * load: 25 rows of them were a good part of a list's blocking time on a phone.
 */
export function RowLink({ to, params, children, ...rest }: { to: string; params: Record<string, string>; children?: ReactNode; 'data-testid'?: string } & AnchorProps) {
  const router = useRouter();
  const href = to.replace(/\$(\w+)/g, (_m, name: string) => encodeURIComponent(params[name] ?? ''));
  return (
    <Anchor
      {...rest}
      href={href}
      onClick={(e: MouseEvent<HTMLAnchorElement>) => {
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        void router.navigate({ href });
      }}
    >
      {children}
    </Anchor>
  );
}
