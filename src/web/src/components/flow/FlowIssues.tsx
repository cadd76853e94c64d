import type { FlowIssue } from '../../api/admin-types';

interface Props {
  errors: FlowIssue[];
  warnings: FlowIssue[];
  /** A local problem found before the server was asked (the text is not JSON). */
  parseError: string | null;
  checking: boolean;
  /** Moves the editor's cursor to the issue's path. */
  onGo(path: string): void;
}

/** What is wrong with the definition being edited, each issue with its JSON path. */
export function FlowIssues({ errors, warnings, parseError, checking, onGo }: Props) {
  const state = parseError || errors.length ? 'invalid' : checking ? 'checking' : 'valid';
  return (
    <div className="flow-issues" data-testid="flow-validation" data-state={state} aria-live="polite">
      {parseError
        ? <p className="alert alert-error">Not JSON: {parseError}</p>
        : (
          <p className={errors.length ? 'issue-summary issue-summary-bad' : 'issue-summary issue-summary-ok'}>
            {checking ? 'Checking…' : errors.length ? `${errors.length} error${errors.length === 1 ? '' : 's'}` : 'Valid'}
            {warnings.length > 0 && `, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}`}
          </p>
        )}
      {(errors.length > 0 || warnings.length > 0) && !parseError && (
        <ul className="issues">
          {errors.map((i, n) => <IssueRow key={`e${n}`} issue={i} level="error" onGo={onGo} />)}
          {warnings.map((i, n) => <IssueRow key={`w${n}`} issue={i} level="warning" onGo={onGo} />)}
        </ul>
      )}
    </div>
  );
}

function IssueRow({ issue, level, onGo }: { issue: FlowIssue; level: 'error' | 'warning'; onGo(path: string): void }) {
  return (
    <li className={`issue issue-${level}`} data-testid={`flow-${level}`}>
      <span className={`badge badge-${level}`}>{level}</span>
      <button type="button" className="link-button issue-path" onClick={() => onGo(issue.path)} title="Show in the editor"><code>{issue.path}</code></button>
      <span>{issue.message}</span>
      <span className="muted small">({issue.code})</span>
    </li>
  );
}
