/**
 * The local web chat page: plain HTML, CSS and a little script, no external assets (it works offline).
 * It talks to `POST /api/messages`, shows the conversation again after a reload
 * (`GET /api/conversations/:id`) and waits for staff messages with a long poll
 * (`GET /api/messages/pending?wait=25`). Customer text is only ever set as text, never as HTML.
 */
import { escapeHtml } from '../../core/html.js';
import { type Language, type MessageKey, say } from '../../dialogue/messages/index.js';

export const CHAT_PAGE_HTML = `<!doctype html>
<html lang="__LANG__">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
<link rel="icon" href="data:,">
<style>
  * { box-sizing: border-box; }
  body { font: 16px/1.45 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d1f23; }
  main { max-width: 46rem; margin: 0 auto; padding: .75rem 1rem; display: flex; flex-direction: column; height: 100vh; height: 100dvh; }
  header { display: flex; align-items: center; gap: .5rem; flex-wrap: wrap; }
  h1 { font-size: 1.15rem; margin: 0; flex: 1; }
  .tool { border: 1px solid #1f56b8; background: #fff; color: #1f56b8; border-radius: .4rem; padding: .3rem .7rem; cursor: pointer; font: inherit; font-size: .9rem; }
  #log { flex: 1; overflow-y: auto; padding: .5rem 0; scroll-padding-bottom: 1rem; }
  .msg { margin: .5rem 0; padding: .6rem .8rem; border-radius: .6rem; max-width: 85%; white-space: pre-wrap; overflow-wrap: anywhere; }
  .you { background: #1f56b8; color: #fff; margin-left: auto; }
  .bot { background: #fff; border: 1px solid #c4c9d1; }
  .staff { background: #fff8e1; border: 1px solid #b58a00; }
  .who { display: block; font-size: .8rem; font-weight: 600; color: #5b4200; }
  .bot ol, .bot ul { margin: .3rem 0 0; padding-left: 1.4rem; white-space: normal; }
  .choices { display: flex; flex-wrap: wrap; gap: .4rem; margin-top: .5rem; }
  .choices button { border: 1px solid #1f56b8; background: #fff; color: #1f56b8; border-radius: 1rem; padding: .35rem .8rem; cursor: pointer; font: inherit; font-size: .9rem; }
  .choices button:disabled { color: #5f6670; border-color: #8a919b; cursor: default; }
  .summary-actions { display: flex; gap: .4rem; margin-top: .5rem; flex-wrap: wrap; }
  .summary-actions button, .summary-actions a { border: 1px solid #8a919b; background: #f4f5f7; color: #1d1f23; border-radius: .4rem; padding: .2rem .6rem; cursor: pointer; font: inherit; font-size: .85rem; text-decoration: none; }
  #typing { min-height: 1.4rem; font-size: .9rem; color: #4a515b; }
  form { display: flex; gap: .5rem; }
  textarea { flex: 1; font: inherit; padding: .5rem; border-radius: .4rem; border: 1px solid #8a919b; resize: vertical; min-height: 2.6rem; }
  form button { font: inherit; padding: 0 1rem; border: 0; border-radius: .4rem; background: #1f56b8; color: #fff; cursor: pointer; }
  :focus-visible { outline: 3px solid #b58a00; outline-offset: 2px; }
  @media (max-width: 480px) { h1 { font-size: 1rem; flex-basis: 100%; } .tool { font-size: .85rem; padding: .25rem .55rem; } main { padding: .5rem .6rem; } }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
</style>
</head>
<body>
<main>
  <header>
    <h1>__TITLE__</h1>
    <button type="button" class="tool" id="person">__talkToPersonLabel__</button>
    <button type="button" class="tool" id="restart">__startOverLabel__</button>
  </header>
  <div id="log" role="log" aria-live="polite" aria-label="__webConversation__"></div>
  <div id="typing" role="status"></div>
  <form id="form">
    <label for="text" class="sr-only">__webYourMessage__</label>
    <textarea id="text" rows="2" placeholder="__webPlaceholder__"></textarea>
    <button type="submit">__webSend__</button>
  </form>
</main>
<script type="application/json" id="wording">__WORDING__</script>
<script>
  const log = document.getElementById('log');
  const form = document.getElementById('form');
  const input = document.getElementById('text');
  const typing = document.getElementById('typing');
  const W = JSON.parse(document.getElementById('wording').textContent);
  // The conversation's id: from the embedding page (#c=..., kept in its own storage), else this page's
  // storage (which a browser may refuse to a framed page: then it lasts as long as the page).
  const KEY = 'portpilot.conversation';
  const fromHost = /^#c=([A-Za-z0-9_-]{8,64})$/.exec(location.hash);
  let conversationId = fromHost ? fromHost[1] : null;
  try { conversationId = conversationId || localStorage.getItem(KEY); } catch (e) { /* storage refused */ }
  if (!conversationId) conversationId = crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now();
  try { localStorage.setItem(KEY, conversationId); } catch (e) { /* storage refused */ }
  function bubble(who) {
    const el = document.createElement('div');
    el.className = 'msg ' + who;
    log.appendChild(el);
    requestAnimationFrame(() => el.scrollIntoView({ block: 'end' }));
    return el;
  }
  function choiceButtons(el, choices) {
    const row = document.createElement('div');
    row.className = 'choices';
    for (const choice of choices) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = choice.label;
      b.onclick = () => { row.querySelectorAll('button').forEach((x) => (x.disabled = true)); send({ choice: choice.id }, choice.label); };
      row.appendChild(b);
    }
    el.appendChild(row);
  }
  function summaryActions(el, reply) {
    const plain = [reply.title, ...reply.sections.flatMap((s) => ['', s.heading + ':', ...s.items.map((i) => '- ' + i)])].join('\\n');
    const actions = document.createElement('div');
    actions.className = 'summary-actions';
    const copy = document.createElement('button');
    copy.type = 'button';
    copy.textContent = W.webCopy;
    copy.onclick = () => navigator.clipboard.writeText(plain).then(() => { copy.textContent = W.webCopied; }, () => { copy.textContent = W.webCopyFailed; });
    const download = document.createElement('a');
    download.textContent = W.webDownload;
    download.href = URL.createObjectURL(new Blob([plain + '\\n'], { type: 'text/plain' }));
    download.download = 'port-order-fix.txt';
    actions.append(copy, download);
    el.appendChild(actions);
  }
  function render(reply, who) {
    const el = bubble(who || 'bot');
    if (who === 'staff') { const w = document.createElement('span'); w.className = 'who'; w.textContent = W.webFromTeam; el.appendChild(w); }
    if (reply.kind === 'text') el.appendChild(document.createTextNode(reply.text));
    if (reply.kind === 'steps' || reply.kind === 'summary') {
      const title = document.createElement('strong');
      title.textContent = reply.title;
      el.appendChild(title);
      const groups = reply.kind === 'steps' ? [{ heading: null, items: reply.steps }] : reply.sections;
      for (const group of groups) {
        if (group.heading) { const h = document.createElement('div'); h.textContent = group.heading; el.appendChild(h); }
        const list = document.createElement(reply.kind === 'steps' ? 'ol' : 'ul');
        for (const item of group.items) { const li = document.createElement('li'); li.textContent = item; list.appendChild(li); }
        el.appendChild(list);
      }
      if (reply.kind === 'summary') summaryActions(el, reply);
    }
    if (reply.kind === 'choices') {
      el.appendChild(document.createTextNode(reply.text));
      choiceButtons(el, reply.choices);
    }
  }
  async function send(payload, shown) {
    bubble('you').textContent = shown;
    typing.textContent = W.webTyping;
    try {
      const res = await fetch('/api/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ conversationId, ...payload }),
      });
      const data = await res.json();
      if (!res.ok) { bubble('bot').textContent = data.error || W.webFailed; return; }
      data.replies.forEach((r) => render(r));
    } catch (e) {
      bubble('bot').textContent = W.webUnreachable;
    } finally {
      typing.textContent = '';
      input.focus();
    }
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim()) return;
    input.value = '';
    send({ text }, text);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
  document.getElementById('person').onclick = () => send({ text: W.webPersonRequest }, W.webPersonRequest);
  document.getElementById('restart').onclick = () => send({ text: 'start over' }, W.startOverLabel);
  // The conversation so far, after a reload; a new visitor is greeted.
  async function restore() {
    try {
      const res = await fetch('/api/conversations/' + encodeURIComponent(conversationId));
      const history = res.ok ? await res.json() : { lines: [] };
      if (history.lines.length > 0) {
        for (const line of history.lines) {
          if (line.from === 'customer') bubble('you').textContent = line.text.replace(/^\\[pressed\\] /, '');
          else render({ kind: 'text', text: line.text }, line.from === 'staff' ? 'staff' : 'bot');
        }
        if (history.offered.length > 0) choiceButtons(log.lastElementChild || bubble('bot'), history.offered);
        return;
      }
    } catch (e) { /* greeted below */ }
    send({ text: W.webHello }, W.webHello);
  }
  // Messages from a person on our team (and the bot's, after they hand back) arrive between turns: the
  // server holds each request until one does.
  async function waitForStaff() {
    for (;;) {
      try {
        const res = await fetch('/api/messages/pending?wait=25&conversationId=' + encodeURIComponent(conversationId));
        if (res.ok) (await res.json()).replies.forEach((r) => render(r));
        else await new Promise((done) => setTimeout(done, 3000));
      } catch (e) { await new Promise((done) => setTimeout(done, 3000)); }
    }
  }
  // A rotated phone or a resized window keeps the newest message in view.
  window.addEventListener('resize', () => { log.scrollTop = log.scrollHeight; });
  restore().then(waitForStaff);
</script>
</body>
</html>
`;

/** The page's own words, from the message tables. */
const PAGE_WORDS = [
  'talkToPersonLabel',
  'startOverLabel',
  'webPlaceholder',
  'webYourMessage',
  'webConversation',
  'webSend',
  'webTyping',
  'webCopy',
  'webCopied',
  'webCopyFailed',
  'webDownload',
  'webUnreachable',
  'webFailed',
  'webFromTeam',
  'webPersonRequest',
  'webHello',
] as const satisfies readonly MessageKey[];

/** The page in `language`, with its title (PORTPILOT_CHAT_TITLE): words HTML-escaped, the script's as JSON data. */
export function chatPageHtml(title: string, language: Language = 'en'): string {
  const words = Object.fromEntries(PAGE_WORDS.map((key) => [key, say(key, {}, language)]));
  // JSON inside a script element: "<" is escaped so no text can close the element.
  const wording = JSON.stringify(words).replace(/</g, '\\u003c');
  return CHAT_PAGE_HTML.replaceAll('__TITLE__', escapeHtml(title))
    .replace('__LANG__', language)
    .replace('__WORDING__', wording)
    .replace(/__([A-Za-z]+)__/g, (match, key: string) => (key in words ? escapeHtml(words[key]!) : match));
}

/**
 * `/embed.js`: one script tag puts the chat on a provider's own page, as a button in the corner that
 * opens it in a frame (full screen on a phone). The page's origin must be in PORTPILOT_EMBED_ORIGINS.
 */
export const EMBED_SCRIPT = `(() => {
  const script = document.currentScript;
  const base = new URL(script.src).origin;
  const label = script.dataset.label || 'Help with a rejected port order';
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = label;
  button.setAttribute('aria-expanded', 'false');
  button.style.cssText = 'position:fixed;right:1rem;bottom:1rem;z-index:2147483646;padding:.7rem 1rem;border:0;border-radius:2rem;background:#1f56b8;color:#fff;font:600 15px system-ui,sans-serif;cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.25)';
  // The conversation's id lives in this site's own storage, so it survives reloads of this page.
  const KEY = 'portpilot.conversation';
  let id = null;
  try { id = localStorage.getItem(KEY); } catch (e) { /* storage refused */ }
  if (!id) id = crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now();
  try { localStorage.setItem(KEY, id); } catch (e) { /* storage refused */ }
  const frame = document.createElement('iframe');
  frame.title = label;
  frame.src = base + '/#c=' + encodeURIComponent(id);
  frame.hidden = true;
  const narrow = window.matchMedia('(max-width: 480px)').matches;
  frame.style.cssText = 'position:fixed;z-index:2147483647;border:1px solid #c4c9d1;border-radius:.6rem;background:#fff;box-shadow:0 4px 24px rgba(0,0,0,.25);' +
    (narrow ? 'inset:0;width:100%;height:100%;border-radius:0' : 'right:1rem;bottom:4.5rem;width:400px;height:620px;max-height:calc(100vh - 6rem)');
  button.onclick = () => {
    frame.hidden = !frame.hidden;
    button.setAttribute('aria-expanded', String(!frame.hidden));
    if (!frame.hidden) frame.focus();
  };
  document.body.append(frame, button);
})();
`;
