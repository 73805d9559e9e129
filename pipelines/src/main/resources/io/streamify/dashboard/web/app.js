// The Streamify dashboard: fetches /api/meta and /api/dashboard, draws the tiles with ECharts,
// refreshes when new hours land in the warehouse. body[data-state] is "ready" once the numbers
// shown match the filter (the browser test waits for it).
'use strict';

// A tile-grid map of the US (each state one square, roughly where it lies): no map data needed.
const STATE_TILES = {
  AK: [0, 0], ME: [0, 11], VT: [1, 10], NH: [1, 11],
  WA: [2, 1], ID: [2, 2], MT: [2, 3], ND: [2, 4], MN: [2, 5], IL: [2, 6], WI: [2, 7], MI: [2, 8],
  NY: [2, 9], RI: [2, 10], MA: [2, 11],
  OR: [3, 1], NV: [3, 2], WY: [3, 3], SD: [3, 4], IA: [3, 5], IN: [3, 6], OH: [3, 7], PA: [3, 8],
  NJ: [3, 9], CT: [3, 10],
  CA: [4, 1], UT: [4, 2], CO: [4, 3], NE: [4, 4], MO: [4, 5], KY: [4, 6], WV: [4, 7], VA: [4, 8],
  MD: [4, 9], DE: [4, 10],
  AZ: [5, 2], NM: [5, 3], KS: [5, 4], AR: [5, 5], TN: [5, 6], NC: [5, 7], SC: [5, 8], DC: [5, 9],
  OK: [6, 4], LA: [6, 5], MS: [6, 6], AL: [6, 7], GA: [6, 8],
  HI: [7, 0], TX: [7, 4], FL: [7, 9],
};

const el = (id) => document.getElementById(id);
// Warehouse text (artists, songs, places, names) comes from Kafka: untrusted. It reaches the page
// only as textContent, as canvas text (axis labels, legends), or through esc() in tooltips, the
// one place ECharts renders HTML; every tooltip has its own formatter.
const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]);
// An axis tooltip: the category, then each series' marker (ECharts' own HTML), name and value.
const axisTip = (ps) => esc(ps[0].axisValue) + ps.map((p) => '<br>' + p.marker
  + esc(p.seriesName) + ': ' + fmt(p.value)).join('');
const fmt = (n) => (n == null ? '–' : Number(n).toLocaleString('en-US'));
const charts = {};
const view = { meta: null, version: null, follow: true, from: null, to: null, state: '' };
let loading = null;

function chart(id) {
  if (!charts[id]) charts[id] = echarts.init(el(id));
  return charts[id];
}

// Charts draw at once (no animation): the numbers on screen are the ones just fetched.
function draw(id, option) {
  chart(id).setOption({ animation: false, ...option }, true);
}

async function getJson(url) {
  const response = await fetch(url, { cache: 'no-store' });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

// The change against the previous period of equal span (the server names it: the same hours of
// the day before while the last day is still loading).
function change(id, now, before, previous) {
  const node = el(id);
  node.title = 'compared with ' + previous;
  if (!before) {
    node.textContent = 'no data ' + previous;
    node.className = 'change';
    return;
  }
  const pct = ((now - before) / before) * 100;
  node.textContent = (pct >= 0 ? '▲ ' : '▼ ') + Math.abs(pct).toFixed(1) + '% vs ' + previous;
  node.className = 'change ' + (pct >= 0 ? 'up' : 'down');
}

function renderKpis(data) {
  const k = data.kpis;
  el('kpi-streams').textContent = fmt(k.streams || 0);
  el('kpi-listeners').textContent = fmt(k.listeners || 0);
  el('kpi-users').textContent = fmt(data.users || 0);
  el('kpi-hours').textContent = fmt(k.hours_played || 0);
  change('kpi-streams-change', k.streams || 0, k.previous_streams || 0, data.filter.previous);
  change('kpi-listeners-change', k.listeners || 0, k.previous_listeners || 0,
    data.filter.previous);
}

function renderMap(data) {
  const byState = Object.fromEntries(data.byState.map((r) => [r.state_code, r]));
  const cells = Object.entries(STATE_TILES).map(([code, [row, col]]) => {
    const r = byState[code];
    return { value: [col, row, r ? r.streams : 0], code, name: r ? r.state_name : code };
  });
  const max = Math.max(1, ...data.byState.map((r) => r.streams));
  draw('chart-map', {
    tooltip: { formatter: (p) => `${esc(p.data.name)}: ${fmt(p.data.value[2])} streams` },
    grid: { left: 8, right: 8, top: 8, bottom: 40 },
    xAxis: { type: 'category', data: [...Array(12).keys()], show: false },
    yAxis: { type: 'category', data: [...Array(8).keys()], show: false, inverse: true },
    visualMap: { min: 0, max, calculable: true, orient: 'horizontal', left: 'center', bottom: 0,
      itemHeight: 120, inRange: { color: ['#e8f7ee', '#1db954', '#0b4f24'] } },
    series: [{ type: 'heatmap', data: cells,
      label: { show: true, formatter: (p) => p.data.code },
      itemStyle: { borderColor: '#fff', borderWidth: 2 } }],
  });
}

function renderTopSongs(data) {
  const body = el('top-songs').tBodies[0];
  body.replaceChildren(...data.topSongs.map((r, i) => {
    const tr = document.createElement('tr');
    for (const [text, cls] of [[i + 1, ''], [r.song, 'song'], [r.artist, 'artist'],
      [fmt(r.streams), 'num']]) {
      const td = document.createElement('td');
      td.textContent = text;
      if (cls) td.className = cls;
      tr.appendChild(td);
    }
    return tr;
  }));
}

function renderArtists(data) {
  const rows = [...data.topArtists].reverse();
  draw('chart-artists', {
    tooltip: { formatter: (p) => `${esc(p.name)}: ${fmt(p.value)} streams` },
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: rows.map((r) => r.artist),
      axisLabel: { width: 140, overflow: 'truncate' } },
    series: [{ type: 'bar', name: 'streams', data: rows.map((r) => r.streams),
      itemStyle: { color: '#1db954' } }],
  });
}

function renderActivity(data) {
  const hours = [...Array(24).keys()];
  const byHour = Object.fromEntries(data.activityByHour.map((r) => [r.hour, r]));
  draw('chart-activity', {
    tooltip: { trigger: 'axis', formatter: axisTip },
    legend: { data: [data.filter.to, 'day before'] },
    grid: { left: 48, right: 16, top: 32, bottom: 24 },
    xAxis: { type: 'category', data: hours.map((h) => String(h).padStart(2, '0') + ':00') },
    yAxis: { type: 'value' },
    series: [
      { name: data.filter.to, type: 'line', itemStyle: { color: '#1db954' },
        data: hours.map((h) => (byHour[h] ? byHour[h].streams : 0)) },
      { name: 'day before', type: 'line', itemStyle: { color: '#98a2b3' },
        lineStyle: { type: 'dashed' },
        data: hours.map((h) => (byHour[h] ? byHour[h].previous_day_streams : 0)) },
    ],
  });
}

const GENDERS = { F: 'Female', M: 'Male' };

function renderGender(data) {
  draw('chart-gender', {
    tooltip: { trigger: 'item',
      formatter: (p) => `${esc(p.name)}: ${fmt(p.value)} listeners (${p.percent}%)` },
    legend: { bottom: 0 },
    series: [{ type: 'pie', radius: ['40%', '70%'],
      data: data.gender.map((r) => ({ name: GENDERS[r.gender] || r.gender || 'unknown',
        value: r.listeners })) }],
  });
}

function renderLevels(data) {
  const genders = [...new Set(data.levelByGender.map((r) => r.gender))];
  const levels = [...new Set(data.levelByGender.map((r) => r.level))];
  const count = (g, l) => {
    const r = data.levelByGender.find((x) => x.gender === g && x.level === l);
    return r ? r.listeners : 0;
  };
  draw('chart-level', {
    tooltip: { trigger: 'axis', formatter: axisTip },
    legend: {},
    grid: { left: 48, right: 16, top: 32, bottom: 24 },
    xAxis: { type: 'category', data: genders.map((g) => GENDERS[g] || g || 'unknown') },
    yAxis: { type: 'value' },
    series: levels.map((l) => ({ name: l, type: 'bar', stack: 'level',
      data: genders.map((g) => count(g, l)) })),
  });
}

function query() {
  const q = new URLSearchParams();
  if (view.from) q.set('from', view.from);
  if (view.to) q.set('to', view.to);
  if (view.state) q.set('state', view.state);
  return q.toString();
}

async function loadData() {
  const wanted = query();
  document.body.dataset.state = 'loading';
  const job = getJson('/api/dashboard?' + wanted);
  loading = job;
  try {
    const data = await job;
    if (loading !== job) return; // a newer request superseded this one
    view.from = data.filter.from;
    view.to = data.filter.to;
    el('filter-from').value = view.from;
    el('filter-to').value = view.to;
    renderKpis(data);
    renderMap(data);
    renderTopSongs(data);
    renderArtists(data);
    renderActivity(data);
    renderGender(data);
    renderLevels(data);
    document.body.dataset.state = 'ready';
    document.body.dataset.filter = query();
  } catch (e) {
    if (loading === job) {
      document.body.dataset.state = 'error';
      el('status').textContent = 'Error: ' + e.message;
    }
  }
}

function fillStates(states) {
  const select = el('filter-state');
  const chosen = select.value;
  select.replaceChildren(new Option('All states', ''),
    ...states.map((s) => new Option(s.state_name + ' (' + s.state_code + ')', s.state_code)));
  select.value = chosen;
}

async function refresh() {
  let meta;
  try {
    meta = await getJson('/api/meta');
  } catch (e) {
    // the server's own one-line reason (e.g. an hourly run is writing the warehouse), else the
    // network's
    el('status').textContent = (e instanceof TypeError ? 'Cannot reach the dashboard server: '
      : '') + e.message;
    return;
  }
  view.meta = meta;
  el('empty').hidden = meta.streams > 0;
  el('status').textContent = meta.warehouse + ' · ' + fmt(meta.streams) + ' streams'
    + (meta.lastTs ? ' up to ' + meta.lastTs.replace('T', ' ').slice(0, 16) + ' UTC' : '')
    + ' · checked ' + new Date().toLocaleTimeString();
  for (const id of ['filter-from', 'filter-to']) {
    el(id).min = meta.firstDay || '';
    el(id).max = meta.lastDay || '';
  }
  fillStates(meta.states);
  const version = meta.streams + '/' + meta.lastTs;
  if (version === view.version) return;
  view.version = version;
  if (view.follow && meta.lastDay && view.to !== meta.lastDay) {
    // following the newest day: move the period along as new days land
    const days = view.from && view.to ? (Date.parse(view.to) - Date.parse(view.from)) / 864e5 : 0;
    view.to = meta.lastDay;
    view.from = new Date(Date.parse(meta.lastDay) - days * 864e5).toISOString().slice(0, 10);
  }
  await loadData();
}

el('filters').addEventListener('submit', (e) => e.preventDefault());
el('filter-state').addEventListener('change', (e) => {
  view.state = e.target.value;
  loadData();
});
for (const id of ['filter-from', 'filter-to']) {
  el(id).addEventListener('change', () => {
    view.from = el('filter-from').value || view.from;
    view.to = el('filter-to').value || view.to;
    if (view.to < view.from) [view.from, view.to] = [view.to, view.from];
    view.follow = view.meta && view.to === view.meta.lastDay;
    loadData();
  });
}
window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));
chart('chart-map').on('click', (p) => {
  if (!p.data || !p.data.code) return;
  view.state = view.state === p.data.code ? '' : p.data.code;
  el('filter-state').value = view.state;
  loadData();
});

refresh();
setInterval(refresh, 5000);
