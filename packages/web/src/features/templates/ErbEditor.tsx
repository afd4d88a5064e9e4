/**
 * @module
 * CodeMirror 6 editor with ERB highlighting.
 */
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers } from '@codemirror/view';
import { useEffect, useRef } from 'react';

import { erbLanguage } from './erb-language.ts';

/** Props of {@link ErbEditor}. */
export interface ErbEditorProps {
  value: string;
  onChange: (v: string) => void;
  readOnly?: boolean;
  label: string;
}

/** The editor; `value` replaces the text when it differs from what was typed. */
export function ErbEditor({ value, onChange, readOnly = false, label }: ErbEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;
  useEffect(() => {
    if (!host.current) return;
    const v = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          history(),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          erbLanguage,
          syntaxHighlighting(defaultHighlightStyle),
          EditorView.lineWrapping,
          EditorState.readOnly.of(readOnly),
          EditorView.contentAttributes.of({ 'aria-label': label }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) changed.current(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => v.destroy();
    // Created once per read-only mode; later values are synced by the effect below.
  }, [readOnly, label]);
  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);
  return <div ref={host} className="remex-erb-editor" style={{ border: '1px solid var(--pf-t--global--border--color--default, #ccc)', minHeight: 200 }} />;
}
