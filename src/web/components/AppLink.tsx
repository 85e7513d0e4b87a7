import { Anchor, Button, type AnchorProps, type ButtonProps } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';

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
