/**
 * @module
 * Virtualised output viewer: ANSI colours as React spans (never HTML), stdout / stderr / debug
 * marked and filterable, long lines wrapped.
 */
import { ToggleGroup, ToggleGroupItem } from '@patternfly/react-core';
import { observeElementRect, useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useMemo, useRef, useState } from 'react';

import { ansiSegments } from './output-lines.ts';
import type { Stream, ViewerLine } from './output-lines.ts';

const STREAM_COLOR: Record<Stream, string> = { stdout: 'inherit', stderr: 'var(--pf-t--global--color--status--danger--default, #c9190b)', debug: 'var(--pf-t--global--text--color--subtle, #6a6e73)' };

const Line = memo(function Line({ line }: { line: ViewerLine }) {
  const segments = useMemo(() => ansiSegments(line.text), [line.text]);
  return (
    <span className={`remex-out-${line.stream}`} data-stream={line.stream} style={{ color: STREAM_COLOR[line.stream] }}>
      {line.stream === 'stderr' ? <span aria-label="stderr" className="remex-out-mark">! </span> : null}
      {segments.map((s, i) => (
        <span
          key={i}
          style={{
            color: s.color,
            background: s.background,
            fontWeight: s.bold ? 'bold' : undefined,
            fontStyle: s.italic ? 'italic' : undefined,
            textDecoration: s.underline ? 'underline' : undefined,
          }}
        >
          {s.text}
        </span>
      ))}
    </span>
  );
});

/** Props of {@link OutputViewer}. */
export interface OutputViewerProps {
  lines: readonly ViewerLine[];
  /** Accessible name of the output region. */
  label: string;
  /** Keep the view at the end while new lines arrive (default true). */
  follow?: boolean;
  /** Height of the scroll area in px (default 360). */
  height?: number;
  /** Shows the stdout / stderr / debug toggles (default true). */
  toggles?: boolean;
}

/** Shows output lines, virtualised so 100,000 lines stay fast. */
export function OutputViewer({ lines, label, follow = true, height = 360, toggles = true }: OutputViewerProps) {
  const [shown, setShown] = useState<Record<Stream, boolean>>({ stdout: true, stderr: true, debug: false });
  const visible = useMemo(() => lines.filter((l) => shown[l.stream]), [lines, shown]);
  const parent = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({
    count: visible.length,
    getScrollElement: () => parent.current,
    estimateSize: () => 20,
    // No layout (hidden, or no layout engine): one line high, so that not every line is "visible".
    measureElement: (el) => el.getBoundingClientRect().height || 20,
    overscan: 20,
    initialRect: { width: 800, height },
    // The box has a fixed height: use it while layout reports none (hidden tab, no layout engine).
    observeElementRect: (instance, cb) => observeElementRect(instance, (rect) => cb(rect.height > 0 ? rect : { width: rect.width, height })),
  });
  useEffect(() => {
    if (follow && visible.length > 0) v.scrollToIndex(visible.length - 1, { align: 'end' });
  }, [follow, visible.length, v]);
  return (
    <div className="remex-output">
      {toggles ? (
        <ToggleGroup aria-label={`${label}: streams`} isCompact>
          {(['stdout', 'stderr', 'debug'] as const).map((s) => (
            <ToggleGroupItem key={s} text={s} buttonId={`${label}-${s}`} isSelected={shown[s]} onChange={(_e, sel) => setShown({ ...shown, [s]: sel })} />
          ))}
        </ToggleGroup>
      ) : null}
      <div
        ref={parent}
        role="log"
        aria-label={label}
        tabIndex={0}
        style={{ height, overflow: 'auto', fontFamily: 'var(--pf-t--global--font--family--mono, monospace)', fontSize: 13, background: 'var(--pf-t--global--background--color--secondary--default, #f0f0f0)', padding: 4 }}
      >
        <div style={{ height: v.getTotalSize(), position: 'relative', width: '100%' }}>
          {v.getVirtualItems().map((item) => {
            const line = visible[item.index];
            if (!line) return null;
            return (
              <div
                key={item.key}
                data-index={item.index}
                ref={v.measureElement}
                style={{ position: 'absolute', top: 0, left: 0, width: '100%', transform: `translateY(${item.start}px)`, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
              >
                <Line line={line} />
              </div>
            );
          })}
        </div>
      </div>
      {visible.length === 0 ? <div className="remex-output-empty">No output yet.</div> : null}
    </div>
  );
}
