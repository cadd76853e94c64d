import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../api/client';
import type { FlowDetail, FlowVersionSummary } from '../api/admin-types';
import { useAuth } from '../auth';
import { ErrorMessage } from '../components/ErrorMessage';
import { FlowIssues } from '../components/flow/FlowIssues';
import { locatePath, NEW_FLOW_TEMPLATE, stepsIn } from '../components/flow/flow-text';
import { FlowVersions } from '../components/flow/FlowVersions';
import { TestCallButton } from '../components/flow/TestCallButton';
import { useFlowValidation } from '../components/flow/useFlowValidation';
import { Link } from '../components/Link';
import { navigate } from '../router';

// The graph (layout and SVG) loads with the first flow shown, not with the console.
const loadGraph = () => import('../components/flow/FlowGraph').then((m) => ({ default: m.FlowGraph }));
const FlowGraph = lazy(loadGraph);

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

/** One flow: its definition as JSON with live validation, the graph, versions, publish and a test call. */
export function FlowEditorPage({ flowKey }: { flowKey: string | null }) {
  const { principal } = useAuth();
  const canEdit = principal.role === 'admin' || principal.role === 'supervisor';
  const [flow, setFlow] = useState<FlowDetail | null>(null);
  const [versions, setVersions] = useState<FlowVersionSummary[]>([]);
  const [selected, setSelected] = useState<number | null>(null);
  const [saved, setSaved] = useState(flowKey ? '' : pretty(NEW_FLOW_TEMPLATE));
  const [text, setText] = useState(saved);
  const [busy, setBusy] = useState<'save' | 'publish' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { definition, parseError, validation, checking } = useFlowValidation(text);
  // While the text is not JSON the graph keeps showing the last definition that was.
  const [drawn, setDrawn] = useState<unknown>(null);
  useEffect(() => { if (definition !== null) setDrawn(definition); }, [definition]);
  // Fetch the graph's chunk alongside the flow, not after it.
  useEffect(() => { void loadGraph(); }, []);

  const open = useCallback(async (version: number) => {
    if (!flowKey) return;
    const v = await api.call('getFlowVersion', { params: { flow: flowKey, version } });
    setSelected(version);
    setSaved(pretty(v.definition));
    setText(pretty(v.definition));
  }, [flowKey]);

  const reload = useCallback(async (openVersion?: number) => {
    if (!flowKey) return;
    const [detail, page] = await Promise.all([
      api.call('getFlow', { params: { flow: flowKey } }),
      api.call('listFlowVersions', { params: { flow: flowKey }, query: { limit: 50 } }),
    ]);
    setFlow(detail);
    setVersions(page.items);
    if (openVersion !== undefined) await open(openVersion);
    return detail;
  }, [flowKey, open]);

  useEffect(() => {
    if (!flowKey) return;
    reload().then((detail) => {
      if (!detail) return;
      setSelected(detail.latest.version);
      setSaved(pretty(detail.latest.definition));
      setText(pretty(detail.latest.definition));
    }, setError);
  }, [flowKey, reload]);

  const dirty = text !== saved;
  const selectedSummary = versions.find((v) => v.version === selected);
  const canSave = canEdit && definition !== null && dirty && busy === null;
  const canPublish = canEdit && flowKey !== null && !dirty && selectedSummary !== undefined && !selectedSummary.live
    && validation?.valid === true && busy === null;

  const save = async () => {
    if (definition === null || typeof definition !== 'object') return;
    setBusy('save');
    setError(null);
    setNotice(null);
    try {
      const body = { definition: definition as Record<string, unknown> };
      if (!flowKey) {
        const created = await api.call('createFlow', { body: { ...body, publish: false } });
        navigate(`/flows/${created.key}`, { replace: true });
        return;
      }
      const v = await api.call('createFlowVersion', { params: { flow: flowKey }, body });
      await reload(v.version);
      setNotice(`Saved as version ${v.version} (draft).`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const publish = async () => {
    if (!flowKey || selected === null) return;
    setBusy('publish');
    setError(null);
    setNotice(null);
    try {
      await api.call('publishFlowVersion', { params: { flow: flowKey, version: selected } });
      await reload();
      setNotice(`Version ${selected} is live.`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const editor = useRef<HTMLTextAreaElement>(null);
  const goTo = (path: string) => {
    const area = editor.current;
    const range = locatePath(text, path);
    if (!area || !range) return;
    area.focus();
    area.setSelectionRange(range.start, range.end);
    // Scroll the selection into view: lines above it × line height.
    const line = text.slice(0, range.start).split('\n').length - 1;
    area.scrollTop = Math.max(0, line * parseFloat(getComputedStyle(area).lineHeight || '18') - area.clientHeight / 3);
  };

  const errors = validation?.errors ?? [];
  const warnings = validation?.warnings ?? [];
  const highlight = useMemo(() => stepsIn(errors.map((e) => e.path)), [errors]);

  if (flowKey && !flow) return error ? <ErrorMessage error={error} /> : <p className="muted" role="status">Loading flow…</p>;

  return (
    <div className="stack" data-testid="flow-editor">
      <div className="card-head">
        <p><Link to="/flows">← All flows</Link></p>
        {flow && (
          <dl className="summary" aria-label="Flow summary">
            <div><dt>Flow</dt><dd data-testid="flow-name">{flow.name}</dd></div>
            <div><dt>Key</dt><dd><code data-testid="flow-key">{flow.key}</code></dd></div>
            <div><dt>Latest</dt><dd>v{flow.latestVersion}</dd></div>
            <div><dt>Live</dt><dd data-testid="flow-live-version">{flow.publishedVersion ? `v${flow.publishedVersion}` : 'none'}</dd></div>
          </dl>
        )}
      </div>
      <ErrorMessage error={error} />
      {notice && <p className="alert alert-success" role="status" data-testid="flow-notice">{notice}</p>}
      <div className="flow-columns">
        <section className="card" aria-labelledby="flow-definition-title">
          <div className="card-head">
            <h2 id="flow-definition-title">{flowKey ? `Definition${selected ? ` · v${selected}` : ''}` : 'New flow'}</h2>
            <div className="card-tools">
              {canEdit && <button type="button" className="button button-primary" disabled={!canSave} onClick={() => void save()}>
                {busy === 'save' ? 'Saving…' : flowKey ? 'Save as new version' : 'Create flow'}
              </button>}
              {canEdit && flowKey && <button type="button" className="button button-secondary" disabled={!canPublish} onClick={() => void publish()}
                title={dirty ? 'Save the changes first' : selectedSummary?.live ? 'This version is live' : undefined}>
                {busy === 'publish' ? 'Publishing…' : `Publish${selected ? ` v${selected}` : ''}`}
              </button>}
            </div>
          </div>
          <label className="field" htmlFor="flow-json">Flow definition (JSON)</label>
          <textarea ref={editor} id="flow-json" className="code-editor" spellCheck={false} value={text} readOnly={!canEdit}
            onChange={(e) => setText(e.target.value)} aria-describedby="flow-validation-region" data-testid="flow-json" rows={28} />
          <div id="flow-validation-region"><FlowIssues errors={errors} warnings={warnings} parseError={parseError} checking={checking} onGo={goTo} /></div>
          {dirty && flowKey && <p className="muted small" data-testid="flow-dirty">Unsaved changes.</p>}
        </section>
        <div className="stack">
          <section className="card" aria-labelledby="flow-graph-title">
            <div className="card-head">
              <h2 id="flow-graph-title">Graph</h2>
              {flow && <TestCallButton flowKey={flow.key} published={flow.publishedVersion !== null} />}
            </div>
            <Suspense fallback={<p className="muted" role="status">Drawing…</p>}>
              <FlowGraph definition={drawn} highlight={highlight} />
            </Suspense>
          </section>
          {flowKey && (
            <section className="card" aria-labelledby="flow-versions-title">
              <h2 id="flow-versions-title">Versions</h2>
              <FlowVersions versions={versions} selected={selected} onSelect={(v) => { if (!dirty || window.confirm('Discard the unsaved changes?')) open(v).catch(setError); }} />
            </section>
          )}
        </div>
      </div>
    </div>
  );
}
