/**
 * The embeddable Switchboard widget: `<script src="https://host/widget.js" data-key="wk_…" async></script>`.
 * Renders in a Shadow DOM (no CSS leaks either way). The conversation lives on the server; the page keeps the
 * signed contact token, the messages seen and an outbox in localStorage, so a reload or a reconnect resumes the
 * conversation and messages typed offline are sent once when the socket is back (the server dedupes by client id).
 */
import type { ConversationMessage, WidgetServerMessage } from '../../contracts/widget.js';
import { STYLES } from './styles.js';

interface Stored {
  token: string | null;
  messages: ConversationMessage[];
  outbox: { clientId: string; text: string }[];
}

const MAX_KEPT = 200;

function boot(script: HTMLScriptElement): void {
  const key = script.dataset['key'];
  if (!key) { console.warn('switchboard widget: the script tag needs data-key'); return; }
  const base = new URL(script.src, location.href);
  const storageKey = `switchboard-widget:${key}`;
  const load = (): Stored => {
    try {
      const raw = JSON.parse(localStorage.getItem(storageKey) ?? 'null') as Stored | null;
      if (raw && Array.isArray(raw.messages) && Array.isArray(raw.outbox)) return raw;
    } catch { /* a broken entry starts over */ }
    return { token: null, messages: [], outbox: [] };
  };
  const store = load();
  const save = () => {
    store.messages = store.messages.slice(-MAX_KEPT);
    localStorage.setItem(storageKey, JSON.stringify(store));
  };

  // ── the DOM ──────────────────────────────────────────────────────────────────────────────────────────────
  const host = document.createElement('div');
  host.setAttribute('data-switchboard-widget', '');
  const root = host.attachShadow({ mode: 'open' });
  root.innerHTML = `<style>${STYLES}</style>
<button class="launcher" type="button" aria-expanded="false" aria-controls="sbw-panel">Chat with us</button>
<section id="sbw-panel" class="panel" role="dialog" aria-label="Chat" hidden>
  <header><h2>Chat</h2><span class="status" role="status" aria-live="polite"></span>
  <button class="close" type="button" aria-label="Close chat">×</button></header>
  <ol class="log" role="log" aria-live="polite" aria-label="Conversation" tabindex="0"></ol>
  <form><label for="sbw-input" class="sr">Your message</label>
  <input id="sbw-input" name="text" autocomplete="off" maxlength="2000" placeholder="Type a message">
  <button type="submit">Send</button></form>
</section>`;
  document.body.appendChild(host);
  const $ = <T extends Element>(selector: string) => root.querySelector<T>(selector)!;
  const launcher = $<HTMLButtonElement>('.launcher');
  const panel = $<HTMLElement>('.panel');
  const log = $<HTMLOListElement>('.log');
  const status = $<HTMLSpanElement>('.status');
  const form = $<HTMLFormElement>('form');
  const input = $<HTMLInputElement>('input');

  const setOpen = (open: boolean) => {
    panel.hidden = !open;
    launcher.setAttribute('aria-expanded', String(open));
    if (open) input.focus(); else launcher.focus();
  };
  launcher.addEventListener('click', () => setOpen(panel.hidden));
  $<HTMLButtonElement>('.close').addEventListener('click', () => setOpen(false));
  panel.addEventListener('keydown', (e) => { if (e.key === 'Escape') setOpen(false); });

  const render = () => {
    const items = [
      ...store.messages.map((m) => ({ author: m.author, text: m.text, pending: false })),
      ...store.outbox.map((m) => ({ author: 'visitor' as const, text: m.text, pending: true })),
    ];
    log.replaceChildren(...items.map((m) => {
      const li = document.createElement('li');
      li.className = `msg ${m.author}${m.pending ? ' pending' : ''}`;
      li.dataset['author'] = m.author;
      li.textContent = m.text;
      if (m.pending) li.setAttribute('aria-label', `${m.text} (not sent yet)`);
      return li;
    }));
    log.scrollTop = log.scrollHeight;
  };
  const setStatus = (text: string, state: string) => { status.textContent = text; host.dataset['state'] = state; };

  // ── the socket ───────────────────────────────────────────────────────────────────────────────────────────
  let socket: WebSocket | null = null;
  let ready = false;
  let retryMs = 500;
  let retryTimer: number | undefined;
  const lastSeq = () => store.messages.at(-1)?.seq ?? 0;

  const flush = () => {
    if (!socket || !ready) return;
    for (const m of store.outbox) socket.send(JSON.stringify({ type: 'message', clientId: m.clientId, text: m.text }));
  };
  const receive = (msg: WidgetServerMessage) => {
    if (msg.type === 'ready') {
      store.token = msg.contactToken;
      host.dataset['contact'] = msg.contactId;
      ready = true;
      retryMs = 500;
      save();
      setStatus('Online', 'online');
      flush();
    } else if (msg.type === 'message') {
      if (store.messages.some((m) => m.seq === msg.message.seq)) return;
      store.messages.push(msg.message);
      if (msg.message.clientId) store.outbox = store.outbox.filter((o) => o.clientId !== msg.message.clientId);
      save();
      render();
    } else if (msg.type === 'ack') {
      store.outbox = store.outbox.filter((o) => o.clientId !== msg.clientId);
      save();
      render();
    } else if (msg.type === 'error') {
      console.warn(`switchboard widget: ${msg.code}: ${msg.message}`);
    }
  };
  const connect = () => {
    clearTimeout(retryTimer);
    if (socket && socket.readyState <= WebSocket.OPEN) return;
    const url = new URL('/api/v1/widget/socket', base);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('key', key);
    url.searchParams.set('after', String(lastSeq()));
    if (store.token) url.searchParams.set('contact', store.token);
    setStatus('Connecting…', 'connecting');
    const ws = new WebSocket(url);
    socket = ws;
    ws.onmessage = (e) => { try { receive(JSON.parse(String(e.data)) as WidgetServerMessage); } catch { /* not ours */ } };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      ready = false;
      setStatus(navigator.onLine ? 'Reconnecting…' : 'Offline: messages will be sent when you are back', 'offline');
      retryTimer = window.setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 15_000);
    };
  };
  window.addEventListener('online', () => { retryMs = 500; connect(); });
  window.addEventListener('offline', () => socket?.close());

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    store.outbox.push({ clientId: crypto.randomUUID(), text });
    save();
    render();
    flush();
  });

  render();
  connect();
}

const current = document.currentScript instanceof HTMLScriptElement ? document.currentScript : document.querySelector<HTMLScriptElement>('script[data-key][src*="widget.js"]');
if (current) {
  if (document.body) boot(current);
  else document.addEventListener('DOMContentLoaded', () => boot(current));
}
