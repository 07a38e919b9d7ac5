import { useEffect, useRef } from 'react';
import { basicSetup, EditorView } from 'codemirror';
import { yaml } from '@codemirror/lang-yaml';
import { EditorState } from '@codemirror/state';
import { keymap } from '@codemirror/view';
import { indentWithTab } from '@codemirror/commands';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';

export interface LineProblem {
  line?: number;
  message: string;
  severity?: 'error' | 'warning';
}

/** The manifest YAML in CodeMirror; problems are shown on their lines. */
export function YamlEditor(props: { value: string; onChange: (v: string) => void; problems: LineProblem[]; gotoLine?: { line: number; n: number } }) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChange = useRef(props.onChange);
  onChange.current = props.onChange;

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: props.value,
        extensions: [
          basicSetup,
          yaml(),
          // a marker in the gutter on each line with a problem (hover it for the message)
          lintGutter(),
          keymap.of([indentWithTab]),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) onChange.current(u.state.doc.toString());
          }),
          EditorView.theme({ '&': { height: '100%' }, '.cm-scroller': { fontFamily: 'var(--mono)', fontSize: '13px' } }),
        ],
      }),
    });
    view.current = v;
    // lets tests and devtools read the whole text (CodeMirror only renders the visible lines)
    (host.current as HTMLDivElement & { editorView?: EditorView }).editorView = v;
    return () => v.destroy();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const cur = v.state.doc.toString();
    if (cur !== props.value) v.dispatch({ changes: { from: 0, to: cur.length, insert: props.value } });
  }, [props.value]);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const doc = v.state.doc;
    const diags: Diagnostic[] = props.problems.map((p) => {
      const line = doc.line(Math.min(Math.max(p.line ?? 1, 1), doc.lines));
      return { from: line.from, to: Math.max(line.from, line.to), severity: p.severity ?? 'error', message: p.message };
    });
    v.dispatch(setDiagnostics(v.state, diags));
  }, [props.problems, props.value]);

  useEffect(() => {
    const v = view.current;
    if (!v || !props.gotoLine) return;
    const doc = v.state.doc;
    const line = doc.line(Math.min(Math.max(props.gotoLine.line, 1), doc.lines));
    v.dispatch({ selection: { anchor: line.from }, effects: EditorView.scrollIntoView(line.from, { y: 'center' }) });
    v.focus();
  }, [props.gotoLine]);

  return <div className="yaml-editor" ref={host} data-testid="yaml-editor" />;
}
