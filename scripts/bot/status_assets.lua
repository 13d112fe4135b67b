-- The status page's stylesheet and script, served as /app.css and /app.js (the page's
-- Content-Security-Policy allows only its own origin: no inline script, nothing from outside).
-- The report inlines the stylesheet. The script is optional: the page is complete without it;
-- with it, sections re-rendered by the server arrive over server-sent events (/events) and
-- replace the old ones in place.
local assets = {}

assets.css = [[
:root { color-scheme: light; }
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1d2329; background: #f4f5f7; }
header { display: flex; align-items: baseline; gap: 1em; padding: .6em 1.2em; background: #1d3557; color: #fff; }
header h1 { margin: 0; font-size: 1.3em; }
header nav a { color: #cfe3ff; margin-right: .8em; }
main { padding: .5em 1.2em 2em; max-width: 1200px; }
section { background: #fff; border: 1px solid #d0d4da; border-radius: 6px; padding: .4em 1em 1em; margin: 1em 0; }
h2 { font-size: 1.1em; margin: .6em 0; }
h3 { font-size: 1em; margin: .9em 0 .3em; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: .25em .5em; border-bottom: 1px solid #eceef1; }
.num { white-space: nowrap; }
.table-wrap { overflow-x: auto; }
th { font-weight: 600; color: #4a5560; }
td.num, .num { text-align: right; }
.neg { color: #b42318; }
.pos { color: #146c2e; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; margin: .5em 0; }
dl.facts dt { color: #4a5560; }
dl.facts dd { margin: 0; }
.error { color: #b42318; }
.state { font-weight: 700; }
.state-holding { color: #146c2e; } .state-error, .state-halted { color: #b42318; }
.pair { font-weight: normal; color: #4a5560; font-size: .9em; }
.badge { display: inline-block; padding: 0 .4em; border-radius: 3px; font-size: .8em; font-weight: 700; color: #fff; }
.badge.best { background: #2a9d8f; } .badge.current { background: #1d3557; }
tr.ineligible { color: #8a939c; }
tr.level-warn td, tr.level-error td { color: #b42318; }
.charts { display: flex; flex-wrap: wrap; gap: 1em; }
svg.chart { max-width: 100%; height: auto; }
.live { font-size: .8em; padding: .1em .5em; border-radius: 3px; background: #6c757d; }
.live.on { background: #2a9d8f; } .live.off { background: #b42318; }
.legend { color: #4a5560; font-size: .9em; }
footer { color: #6c757d; font-size: .85em; padding: 0 1.2em 1em; }
]]

assets.js = [[
// hedge status page: live updates. The server renders every section; this only swaps in the
// sections it sends over server-sent events, so the page never reloads.
(function () {
  'use strict';
  var live = document.getElementById('live');
  function mark(text, cls) {
    if (live) { live.textContent = text; live.className = 'live ' + cls; }
  }
  if (!window.EventSource) { mark('static (no EventSource)', 'off'); return; }
  var source = new EventSource('events');
  source.addEventListener('open', function () { mark('live', 'on'); });
  source.addEventListener('error', function () { mark('reconnecting', 'off'); });
  source.addEventListener('update', function (e) {
    var data;
    try { data = JSON.parse(e.data); } catch (err) { return; }
    var sections = data.sections || {};
    Object.keys(sections).forEach(function (id) {
      var el = document.getElementById(id);
      if (el) { el.innerHTML = sections[id]; }
    });
    if (data.title) { document.title = data.title; }
    document.body.setAttribute('data-updates', String(data.seq));
    mark('live', 'on');
  });
})();
]]

return assets
