/**
 * @module
 * A titled card of term/description pairs (a host's details, a job's overview).
 */
import { Card, CardBody, CardTitle, DescriptionList, DescriptionListDescription, DescriptionListGroup, DescriptionListTerm } from '@patternfly/react-core';
import type { ReactNode } from 'react';

/** Props of {@link DetailsCard}. */
export interface DetailsCardProps {
  title: string;
  /** Term and description, in display order (terms are the React keys: keep them unique). */
  pairs: ReadonlyArray<readonly [string, ReactNode]>;
  /** Accessible name of the list (default: none). */
  ariaLabel?: string;
  /** Tighter spacing. */
  compact?: boolean;
}

/** Renders `pairs` as a horizontal description list in a card titled `title`. */
export function DetailsCard({ title, pairs, ariaLabel, compact = false }: DetailsCardProps): ReactNode {
  return (
    <Card>
      <CardTitle>{title}</CardTitle>
      <CardBody>
        <DescriptionList isHorizontal isCompact={compact} aria-label={ariaLabel}>
          {pairs.map(([k, v]) => (
            <DescriptionListGroup key={k}>
              <DescriptionListTerm>{k}</DescriptionListTerm>
              <DescriptionListDescription>{v}</DescriptionListDescription>
            </DescriptionListGroup>
          ))}
        </DescriptionList>
      </CardBody>
    </Card>
  );
}
