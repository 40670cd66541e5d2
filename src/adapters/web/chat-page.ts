/** The local web chat page: plain HTML and a little script that talks to `POST /api/messages`. */
export const CHAT_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>portpilot: fix a rejected port order</title>
<style>
  body { font: 16px/1.45 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d1f23; }
  main { max-width: 46rem; margin: 0 auto; padding: 1rem; display: flex; flex-direction: column; height: 100vh; box-sizing: border-box; }
  h1 { font-size: 1.2rem; margin: 0 0 .5rem; }
  #log { flex: 1; overflow-y: auto; padding: .5rem 0; }
  .msg { margin: .5rem 0; padding: .6rem .8rem; border-radius: .6rem; max-width: 85%; white-space: pre-wrap; }
  .you { background: #2d6cdf; color: #fff; margin-left: auto; }
  .bot { background: #fff; border: 1px solid #dde1e7; }
  .bot ol { margin: .3rem 0 0; padding-left: 1.4rem; white-space: normal; }
  .choices { display: flex; flex-wrap: wrap; gap: .4rem; margin-top: .5rem; }
  .choices button { border: 1px solid #2d6cdf; background: #fff; color: #2d6cdf; border-radius: 1rem; padding: .3rem .8rem; cursor: pointer; font: inherit; font-size: .9rem; }
  .choices button:disabled { opacity: .45; cursor: default; }
  .copy { margin-top: .5rem; border: 1px solid #c4c9d1; background: #f4f5f7; border-radius: .4rem; padding: .2rem .6rem; cursor: pointer; font: inherit; font-size: .85rem; }
  form { display: flex; gap: .5rem; }
  textarea { flex: 1; font: inherit; padding: .5rem; border-radius: .4rem; border: 1px solid #c4c9d1; resize: vertical; min-height: 2.6rem; }
  form button { font: inherit; padding: 0 1rem; border: 0; border-radius: .4rem; background: #2d6cdf; color: #fff; cursor: pointer; }
</style>
</head>
<body>
<main>
  <h1>portpilot: fix a rejected port order</h1>
  <div id="log" aria-live="polite"></div>
  <form id="form">
    <textarea id="text" rows="2" placeholder="Paste the rejection notice or describe it…" aria-label="Your message"></textarea>
    <button type="submit">Send</button>
  </form>
</main>
<script>
  const log = document.getElementById('log');
  const form = document.getElementById('form');
  const input = document.getElementById('text');
  let conversationId = localStorage.getItem('portpilot.conversation');
  if (!conversationId) {
    conversationId = (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now());
    localStorage.setItem('portpilot.conversation', conversationId);
  }
  function bubble(who) {
    const el = document.createElement('div');
    el.className = 'msg ' + who;
    log.appendChild(el);
    log.scrollTop = log.scrollHeight;
    return el;
  }
  function render(reply) {
    const el = bubble('bot');
    if (reply.kind === 'text') el.textContent = reply.text;
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
      if (reply.kind === 'summary') {
        const copy = document.createElement('button');
        copy.type = 'button';
        copy.className = 'copy';
        copy.textContent = 'Copy as text';
        const plain = [reply.title, ...reply.sections.flatMap((s) => ['', s.heading + ':', ...s.items.map((i) => '- ' + i)])].join('\\n');
        copy.onclick = () => navigator.clipboard.writeText(plain).then(() => { copy.textContent = 'Copied'; }, () => { copy.textContent = 'Select the text to copy it'; });
        el.appendChild(copy);
      }
    }
    if (reply.kind === 'choices') {
      el.appendChild(document.createTextNode(reply.text));
      const row = document.createElement('div');
      row.className = 'choices';
      for (const choice of reply.choices) {
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = choice.label;
        b.onclick = () => { row.querySelectorAll('button').forEach((x) => (x.disabled = true)); send({ choice: choice.id }, choice.label); };
        row.appendChild(b);
      }
      el.appendChild(row);
    }
  }
  async function send(payload, shown) {
    bubble('you').textContent = shown;
    try {
      const res = await fetch('/api/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ conversationId, ...payload }),
      });
      const data = await res.json();
      if (!res.ok) { bubble('bot').textContent = data.error || 'Something went wrong.'; return; }
      data.replies.forEach(render);
    } catch (e) {
      bubble('bot').textContent = 'Could not reach portpilot. Is it still running?';
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
  send({ text: 'hello' }, 'hello');
  // Messages from a person on our team arrive between turns: fetch them every few seconds.
  setInterval(async () => {
    try {
      const res = await fetch('/api/messages/pending?conversationId=' + encodeURIComponent(conversationId));
      if (!res.ok) return;
      const data = await res.json();
      data.replies.forEach(render);
    } catch (e) { /* the next poll tries again */ }
  }, 4000);
</script>
</body>
</html>
`;
