/**
 * @module
 * A line diff shown as text: kept lines plain, added lines `+` on green, removed lines `-` on red.
 */
import type { ReactNode } from 'react';

import type { DiffLine } from './line-diff.ts';

const COLORS = { '+': 'rgba(62, 134, 53, 0.15)', '-': 'rgba(201, 25, 11, 0.12)', ' ': 'transparent' } as const;

/** Renders `lines` in a `<pre>` named `label`. */
export function DiffView({ lines, label }: { lines: readonly DiffLine[]; label: string }): ReactNode {
  return (
    <pre aria-label={label} style={{ marginTop: 12, fontSize: 13, overflowX: 'auto' }}>
      {lines.map((d, i) => (
        <div key={i} style={{ background: COLORS[d.kind] }}>
          {d.kind} {d.text}
        </div>
      ))}
    </pre>
  );
}
