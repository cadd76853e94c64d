/**
 * The embeddable Switchboard widget: `<script src="https://host/widget.js" data-key="wk_…" async></script>`.
 * Renders in a Shadow DOM (no CSS leaks either way). The conversation lives on the server; the page keeps the
 * signed contact token, the messages seen and an outbox in localStorage, so a reload or a reconnect resumes the
 * conversation and messages typed offline are sent once when the socket is back (the server dedupes by client id).
 * The voice button calls the key's flow as the same contact (`voice.ts`); the call's captions join the log.
 */
import type { ConversationMessage, WidgetServerMessage } from '../../contracts/widget.js';
import { STYLES } from './styles.js';
import { voiceSupported, WidgetCall, type CallView } from './voice.js';

/** A line of a voice call in the log, placed after the chat message it followed. */
interface VoiceLine {
  afterSeq: number;
  author: 'visitor' | 'agent' | 'system';
  text: string;
}

interface Stored {
  token: string | null;
  messages: ConversationMessage[];
  outbox: { clientId: string; text: string }[];
  voice: VoiceLine[];
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
      if (raw && Array.isArray(raw.messages) && Array.isArray(raw.outbox)) return { ...raw, voice: Array.isArray(raw.voice) ? raw.voice : [] };
    } catch { /* a broken entry starts over */ }
    return { token: null, messages: [], outbox: [], voice: [] };
  };
  const store = load();
  const save = () => {
    store.messages = store.messages.slice(-MAX_KEPT);
    store.voice = store.voice.slice(-MAX_KEPT);
    localStorage.setItem(storageKey, JSON.stringify(store));
  };

  // ── the DOM ──────────────────────────────────────────────────────────────────────────────────────────────
  const host = document.createElement('div');
  host.setAttribute('data-switchboard-widget', '');
  const root = host.attachShadow({ mode: 'open' });
  root.innerHTML = `<style>${STYLES}</style>
<button class="launcher" type="button" aria-expanded="false" aria-controls="sbw-panel">Chat with us<span class="sr"></span></button>
<section id="sbw-panel" class="panel" role="dialog" aria-label="Chat" hidden>
  <header><h2>Chat</h2><span class="status" role="status" aria-live="polite"></span>
  <button class="close" type="button" aria-label="Close chat">×</button></header>
  <div class="voice" role="group" aria-label="Voice call" hidden>
  <button class="call" type="button">Start voice call</button>
  <span class="call-state" role="status" aria-live="polite"></span><span class="timer" role="timer" aria-label="Call duration"></span>
  <button class="mute" type="button" aria-pressed="false" hidden>Mute</button>
  <button class="hangup" type="button" hidden>Hang up</button></div>
  <ol class="log" role="log" aria-live="polite" aria-label="Conversation" tabindex="0"></ol>
  <p class="caption" aria-hidden="true"></p>
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
  const voiceBar = $<HTMLDivElement>('.voice');
  const callButton = $<HTMLButtonElement>('.call');
  const callState = $<HTMLSpanElement>('.call-state');
  const timer = $<HTMLSpanElement>('.timer');
  const muteButton = $<HTMLButtonElement>('.mute');
  const hangupButton = $<HTMLButtonElement>('.hangup');
  const caption = $<HTMLParagraphElement>('.caption');
  const launcherNote = $<HTMLSpanElement>('.launcher .sr');

  const setOpen = (open: boolean) => {
    panel.hidden = !open;
    launcher.setAttribute('aria-expanded', String(open));
    if (open) input.focus(); else launcher.focus();
  };
  launcher.addEventListener('click', () => setOpen(panel.hidden));
  $<HTMLButtonElement>('.close').addEventListener('click', () => setOpen(false));
  panel.addEventListener('keydown', (e) => { if (e.key === 'Escape') setOpen(false); });

  const render = () => {
    type Item = { author: string; text: string; pending: boolean; voice: boolean };
    const items: Item[] = [];
    let v = 0;
    const voiceUpTo = (seq: number) => {
      for (; v < store.voice.length && store.voice[v]!.afterSeq <= seq; v++) items.push({ ...store.voice[v]!, pending: false, voice: true });
    };
    for (const m of store.messages) {
      voiceUpTo(m.seq - 1);
      items.push({ author: m.author, text: m.text, pending: false, voice: false });
    }
    voiceUpTo(Number.MAX_SAFE_INTEGER);
    for (const m of store.outbox) items.push({ author: 'visitor', text: m.text, pending: true, voice: false });
    log.replaceChildren(...items.map((m) => {
      const li = document.createElement('li');
      li.className = `msg ${m.author}${m.pending ? ' pending' : ''}${m.voice ? ' voice' : ''}`;
      li.dataset['author'] = m.author;
      if (m.voice) li.dataset['channel'] = 'voice';
      li.textContent = m.text;
      if (m.pending) li.setAttribute('aria-label', `${m.text} (not sent yet)`);
      else if (m.voice && m.author !== 'system') li.setAttribute('aria-label', `${m.author === 'agent' ? 'Agent' : 'You'}, on the call: ${m.text}`);
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
      voiceBar.hidden = !(msg.voice && voiceSupported());
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

  // ── the voice call ───────────────────────────────────────────────────────────────────────────────────────
  const addVoiceLine = (author: VoiceLine['author'], text: string) => {
    store.voice.push({ afterSeq: lastSeq(), author, text });
    save();
    render();
  };
  let ticker: number | undefined;
  const showCall = (view: CallView) => {
    host.dataset['call'] = view.status;
    const live = view.status === 'connecting' || view.status === 'in-call' || view.status === 'ending';
    launcherNote.textContent = live ? ' (voice call in progress)' : '';
    callButton.hidden = live;
    muteButton.hidden = view.status !== 'in-call';
    hangupButton.hidden = !live;
    muteButton.setAttribute('aria-pressed', String(view.muted));
    callState.textContent = { idle: '', connecting: 'Calling…', 'in-call': view.muted ? 'On the call (muted)' : 'On the call', ending: 'Hanging up…', ended: view.note, error: view.note }[view.status];
    clearInterval(ticker);
    const tick = () => {
      const s = view.since && view.status === 'in-call' ? Math.floor((Date.now() - view.since) / 1000) : null;
      timer.textContent = s === null ? '' : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
    };
    tick();
    if (view.status === 'in-call') ticker = window.setInterval(tick, 1000);
    if (!live) caption.textContent = '';
  };
  let lastStatus: CallView['status'] = 'idle';
  const call = new WidgetCall(base, key, {
    change: (view) => {
      if (view.status !== lastStatus) {
        if (view.status === 'in-call' && lastStatus === 'connecting') addVoiceLine('system', 'Voice call started');
        if (view.status === 'ended' || view.status === 'error') addVoiceLine('system', view.note);
        // Focus stays on a control that exists: hang-up while live, the call button after.
        const focused = root.activeElement;
        lastStatus = view.status;
        showCall(view);
        if (focused && (focused as HTMLElement).hidden) (hangupButton.hidden ? callButton : hangupButton).focus();
      } else {
        showCall(view);
      }
    },
    caption: (speaker, text, final) => {
      if (!final) { caption.textContent = text; return; }
      caption.textContent = '';
      if (text) addVoiceLine(speaker === 'caller' ? 'visitor' : 'agent', text);
    },
  });
  // The button shows once the socket is ready, so the contact token is there.
  callButton.addEventListener('click', () => { if (store.token) void call.start(store.token); });
  muteButton.addEventListener('click', () => call.setMuted(muteButton.getAttribute('aria-pressed') !== 'true'));
  hangupButton.addEventListener('click', () => call.hangup());

  render();
  connect();
}

const current = document.currentScript instanceof HTMLScriptElement ? document.currentScript : document.querySelector<HTMLScriptElement>('script[data-key][src*="widget.js"]');
if (current) {
  if (document.body) boot(current);
  else document.addEventListener('DOMContentLoaded', () => boot(current));
}
