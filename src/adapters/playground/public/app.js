// The playground page: a chat channel that talks to the bot through the same JSON API tests use.
const $ = (selector) => document.querySelector(selector);
const state = {
  user: localStorage.getItem('cohort.user') || `student${Math.floor(Math.random() * 900 + 100)}`,
  channel: location.hash.slice(1) || 'general',
  channels: JSON.parse(localStorage.getItem('cohort.channels') || '["general","study"]'),
  channelMessages: [],
  // Ephemeral messages exist only in this page, per channel, in arrival order.
  ephemeral: new Map(),
};

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
const rich = (text) => escapeHtml(text).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>');

async function api(path, body) {
  const response = await fetch(path, body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {});
  const data = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  if (!response.ok) throw new Error(data.error || `HTTP ${response.status}`);
  return data;
}

function renderMessage(message) {
  const el = document.createElement('article');
  el.className = `message${message.ephemeral ? ' ephemeral' : ''}`;
  el.dataset.id = message.id;
  let html = `<div class="who">Cohort${message.ephemeral ? ' · only you can see this' : ''}</div>`;
  if (message.title) html += `<div class="title">${rich(message.title)}</div>`;
  if (message.body) html += `<div class="body">${rich(message.body)}</div>`;
  for (const field of message.fields || []) {
    html += `<div class="field"><div class="name">${rich(field.name)}</div><div class="value">${rich(field.value)}</div></div>`;
  }
  if (message.footer) html += `<div class="footer">${rich(message.footer)}</div>`;
  el.innerHTML = html;
  for (const row of message.rows || [message.buttons || []]) {
    if (!row.length) continue;
    const rowEl = document.createElement('div');
    rowEl.className = 'row';
    for (const button of row) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = button.label;
      if (button.style) b.className = button.style;
      b.addEventListener('click', () => click(message, button.id, b));
      rowEl.append(b);
    }
    el.append(rowEl);
  }
  return el;
}

function render() {
  const list = $('#messages');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.replaceChildren(...state.channelMessages.map(renderMessage), ...(state.ephemeral.get(state.channel) || []).map(renderMessage));
  if (atBottom) list.scrollTop = list.scrollHeight;
  $('#channel-title').textContent = state.channel;
  for (const a of document.querySelectorAll('#channels a')) a.classList.toggle('active', a.dataset.channel === state.channel);
}

function absorb(messages) {
  const mine = state.ephemeral.get(state.channel) || [];
  for (const message of messages) {
    if (message.ephemeral) {
      const index = mine.findIndex((m) => m.id === message.id);
      if (index >= 0) mine[index] = message;
      else mine.push(message);
    } else {
      const index = state.channelMessages.findIndex((m) => m.id === message.id);
      if (index >= 0) state.channelMessages[index] = message;
      else state.channelMessages.push(message);
    }
  }
  state.ephemeral.set(state.channel, mine);
  render();
}

async function refresh() {
  try {
    const { messages } = await api(`/api/channels/${encodeURIComponent(state.channel)}/messages`);
    state.channelMessages = messages;
    render();
  } catch (error) {
    console.warn('refresh failed', error);
  }
}

async function click(message, actionId, button) {
  button.disabled = true;
  try {
    absorb((await api('/api/action', { user: state.user, channel: state.channel, action: actionId, message: message.id })).messages);
  } catch (error) {
    absorb([{ id: `err-${Date.now()}`, ephemeral: true, body: `Error: ${error.message}`, buttons: [] }]);
  } finally {
    button.disabled = false;
  }
}

async function send(text) {
  try {
    absorb((await api('/api/command', { user: state.user, channel: state.channel, text })).messages);
  } catch (error) {
    absorb([{ id: `err-${Date.now()}`, ephemeral: true, body: `Error: ${error.message}`, buttons: [] }]);
  }
}

function renderChannels() {
  $('#channels').replaceChildren(
    ...state.channels.map((name) => {
      const li = document.createElement('li');
      li.innerHTML = `<a href="#${escapeHtml(name)}" data-channel="${escapeHtml(name)}"># ${escapeHtml(name)}</a>`;
      return li;
    }),
  );
}

async function loadCommands() {
  const { commands } = await api('/api/commands');
  $('#commands').replaceChildren(
    ...commands.map((c) => {
      const li = document.createElement('li');
      li.innerHTML = `<b>/${escapeHtml(c.name)}</b> ${escapeHtml(c.description)}`;
      li.title = c.usage;
      li.addEventListener('click', () => {
        $('#text').value = `/${c.name} `;
        $('#text').focus();
      });
      return li;
    }),
  );
}

$('#user').value = state.user;
$('#user').addEventListener('change', (e) => {
  state.user = e.target.value.trim() || state.user;
  localStorage.setItem('cohort.user', state.user);
});
$('#composer').addEventListener('submit', (e) => {
  e.preventDefault();
  const text = $('#text').value.trim();
  if (!text) return;
  $('#text').value = '';
  void send(text);
});
$('#new-channel').addEventListener('submit', (e) => {
  e.preventDefault();
  const name = $('#channel-name').value.trim().toLowerCase().replace(/[^a-z0-9_-]/g, '-').slice(0, 40);
  if (!name) return;
  if (!state.channels.includes(name)) state.channels.push(name);
  localStorage.setItem('cohort.channels', JSON.stringify(state.channels));
  $('#channel-name').value = '';
  renderChannels();
  location.hash = name;
});
window.addEventListener('hashchange', () => {
  state.channel = location.hash.slice(1) || 'general';
  state.channelMessages = [];
  render();
  void refresh();
});

renderChannels();
render();
void loadCommands();
void refresh();
setInterval(refresh, 2000);
