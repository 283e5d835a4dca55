// The dashboard shell: token entry, the caller's scope, navigation and the page for the route.

import { html, render, useEffect, useState } from '../vendor/htm-preact-standalone.module.js';
import { get, setToken, token } from './api.js';
import { LOCAL_ZONE } from './format.js';
import { useRoute } from './router.js';
import { ErrorBox, Scope } from './ui.js';
import { OverviewPage } from './pages/overview.js';
import { JobsPage } from './pages/jobs.js';
import { JobPage } from './pages/job.js';
import { RunsPage } from './pages/runs.js';
import { RunPage } from './pages/run.js';
import { LogsPage } from './pages/logs.js';

function TokenForm({ message, onSaved }) {
  const [value, setValue] = useState('');
  const submit = (e) => {
    e.preventDefault();
    setToken(value);
    onSaved();
  };
  return html`<form class="token-form card" onSubmit=${submit} data-test="token-form">
    <h2>API token</h2>
    <p>${message || 'This node requires a bearer token.'} The token is kept in this tab only (sessionStorage)
      and sent as <code>Authorization: Bearer</code> with every API call.</p>
    <input type="password" name="token" autocomplete="off" placeholder="token" value=${value}
      onInput=${(e) => setValue(e.target.value)} data-test="token-input" />
    <button type="submit" data-test="token-save">Use token</button>
  </form>`;
}

function page(route) {
  const [first, second] = route.parts;
  if (!first) return html`<${OverviewPage} />`;
  if (first === 'jobs' && second) return html`<${JobPage} id=${second} params=${route.params} />`;
  if (first === 'jobs') return html`<${JobsPage} params=${route.params} />`;
  if (first === 'runs' && second) return html`<${RunPage} id=${second} />`;
  if (first === 'runs') return html`<${RunsPage} params=${route.params} />`;
  if (first === 'logs') return html`<${LogsPage} params=${route.params} />`;
  return html`<p class="pad">No such page. <a href="#/">Overview</a></p>`;
}

function App() {
  const route = useRoute();
  const [who, setWho] = useState(null);
  const [authMessage, setAuthMessage] = useState(null);
  const [generation, setGeneration] = useState(0);
  const [whoError, setWhoError] = useState(null);

  useEffect(() => {
    const onAuth = (e) => setAuthMessage(e.detail || 'The API asks for a token.');
    window.addEventListener('jobsched:auth', onAuth);
    return () => window.removeEventListener('jobsched:auth', onAuth);
  }, []);

  useEffect(() => {
    setWhoError(null);
    get('/whoami').then((w) => { setWho(w); setAuthMessage(null); })
      .catch((err) => { if (err.status !== 401) setWhoError(err); });
  }, [generation]);

  const relogin = () => { setAuthMessage(null); setWho(null); setGeneration((g) => g + 1); };
  const logout = () => { setToken(null); relogin(); };
  // the page loads beside /whoami; write buttons appear once the token is known to allow them
  const canWrite = !!who && who.scope !== 'read';
  const nav = [['#/', 'Overview', ''], ['#/jobs', 'Jobs', 'jobs'], ['#/runs', 'Runs', 'runs'], ['#/logs', 'Logs', 'logs']];

  return html`<${Scope.Provider} value=${{ ...(who || { scope: 'read' }), canWrite }}>
    <header class="top">
      <a class="brand" href="#/">jobsched</a>
      <nav>${nav.map(([h, label, part]) => html`<a href=${h}
        class=${(route.parts[0] || '') === part ? 'active' : ''}>${label}</a>`)}</nav>
      <span class="who" data-test="who">${who ? `${who.name} · ${who.scope}` : ''}
        ${who && who.namespaces ? ` · ${who.namespaces.join(', ')}` : ''}</span>
      <span class="muted small">times: UTC and ${LOCAL_ZONE}</span>
      ${token() ? html`<button type="button" class="link" onClick=${logout}>forget token</button>`
        : html`<button type="button" class="link" onClick=${() => setAuthMessage('Enter a token.')}>set token</button>`}
    </header>
    <main>
      ${authMessage ? html`<${TokenForm} message=${authMessage} onSaved=${relogin} />`
        : whoError ? html`<div class="pad"><${ErrorBox} error=${whoError} />
            <button type="button" onClick=${relogin}>Try again</button></div>`
          : html`<div key=${generation}>${page(route)}</div>`}
    </main>
  <//>`;
}

const root = document.getElementById('app');
root.textContent = ''; // the static "Loading…" placeholder; Preact would render beside it
render(html`<${App} />`, root);
