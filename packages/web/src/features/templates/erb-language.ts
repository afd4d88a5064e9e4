/**
 * @module
 * A small CodeMirror stream language for ERB: tags, Ruby strings, comments and keywords inside.
 */
import { StreamLanguage } from '@codemirror/language';
import type { StringStream } from '@codemirror/language';

interface ErbState {
  inTag: boolean;
  comment: boolean;
}

const KEYWORDS = /^(if|elsif|else|end|unless|do|each|while|for|in|and|or|not|nil|true|false|case|when|then|render_template|input|snippet|host_param)\b/;

/** The ERB language for the template editor. */
export const erbLanguage = StreamLanguage.define<ErbState>({
  name: 'erb',
  startState: () => ({ inTag: false, comment: false }),
  token(stream: StringStream, state: ErbState): string | null {
    if (!state.inTag) {
      if (stream.match(/^<%#/)) {
        state.inTag = true;
        state.comment = true;
        return 'comment';
      }
      if (stream.match(/^<%[=-]?/)) {
        state.inTag = true;
        state.comment = false;
        return 'meta';
      }
      if (stream.skipTo('<%')) return null;
      stream.skipToEnd();
      return null;
    }
    if (stream.match(/^-?%>/)) {
      state.inTag = false;
      return state.comment ? 'comment' : 'meta';
    }
    if (state.comment) {
      if (!stream.skipTo('%>')) stream.skipToEnd();
      return 'comment';
    }
    if (stream.match(/^'(?:[^'\\]|\\.)*'?/) || stream.match(/^"(?:[^"\\]|\\.)*"?/)) return 'string';
    if (stream.match(/^:\w+/)) return 'atom';
    if (stream.match(/^\d+/)) return 'number';
    if (stream.match(KEYWORDS)) return 'keyword';
    if (stream.match(/^@\w+/)) return 'variableName';
    stream.next();
    return null;
  },
});
