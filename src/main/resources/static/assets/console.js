// dsrflow console: overview, case list, case page and regulator report, over /api/console.
// No framework: the views are built with DOM calls (the page's Content-Security-Policy forbids inline code).
(function () {
  'use strict';

  var me = { name: '', roles: [] };
  var zone = 'Asia/Shanghai';
  var view = document.getElementById('view');
  var flash = document.getElementById('flash');

  // ---------- small helpers ----------
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) { return; }
      if (k === 'text') { e.textContent = v; } else if (k.indexOf('on') === 0) { e.addEventListener(k.substring(2), v); }
      else { e.setAttribute(k, v === true ? '' : v); }
    });
    (children || []).forEach(function (c) { if (c !== null && c !== undefined) { e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); } });
    return e;
  }
  function svg(tag, attrs, children) {
    var e = document.createElementNS('http://www.w3.org/2000/svg', tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  function cookie(name) {
    var m = document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
    return m ? decodeURIComponent(m[1]) : '';
  }
  function can(role) { return me.roles.indexOf('admin') >= 0 || me.roles.indexOf(role) >= 0; }
  function when(iso) {
    if (!iso) { return '—'; }
    var parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(iso));
    var p = {};
    parts.forEach(function (x) { p[x.type] = x.value; });
    return p.year + '-' + p.month + '-' + p.day + ' ' + p.hour + ':' + p.minute;
  }
  function say(kind, text) {
    flash.textContent = '';
    if (text) { flash.appendChild(el('p', { class: 'alert alert-' + kind, text: text })); }
  }
  function api(method, path, body) {
    var opts = { method: method, credentials: 'same-origin', headers: { 'Accept': 'application/json' } };
    if (body !== undefined) {
      opts.headers['Content-Type'] = 'application/json';
      opts.headers['X-XSRF-TOKEN'] = cookie('XSRF-TOKEN');
      opts.body = JSON.stringify(body);
    }
    return fetch(path, opts).then(function (r) {
      if (r.status === 401) { location.href = '/login?expired'; throw new Error('signed out'); }
      return r.text().then(function (t) {
        var data = null;
        try { data = t ? JSON.parse(t) : null; } catch (e) { data = null; }
        if (!r.ok) { throw new Error((data && data.message) || ('The server answered ' + r.status + '.')); }
        return data;
      });
    });
  }
  function badge(daysLeft, state) {
    if (daysLeft === null || daysLeft === undefined) {
      return el('span', { class: 'badge badge-none', text: state === 'REPLIED' || state === 'REJECTED' || state === 'DUPLICATE' || state === 'WITHDRAWN' ? 'closed' : 'no deadline yet' });
    }
    var cls = daysLeft < 0 ? 'badge-overdue' : daysLeft <= 3 ? 'badge-soon' : 'badge-ok';
    var text = daysLeft < 0 ? (-daysLeft) + (daysLeft === -1 ? ' day' : ' days') + ' overdue' : daysLeft + (daysLeft === 1 ? ' day' : ' days') + ' left';
    return el('span', { class: 'badge ' + cls, 'data-days-left': String(daysLeft), text: text });
  }
  function label(s) { return String(s || '').replace(/_/g, ' ').toLowerCase(); }
  function options(values, selected, any) {
    var out = [el('option', { value: '', text: any })];
    values.forEach(function (v) { out.push(el('option', { value: v, selected: v === selected, text: label(v) })); });
    return out;
  }

  // ---------- overview ----------
  var CHANNELS = ['EMAIL', 'TICKET', 'WEB', 'API'];
  var TYPES = ['ACCESS', 'DELETION', 'UNDECIDED'];
  var STATES = ['RECEIVED', 'AWAITING_CLARIFICATION', 'AWAITING_VERIFICATION', 'VERIFIED', 'IN_PROGRESS', 'WAITING_ON_SYSTEMS',
    'NEEDS_ATTENTION', 'FULFILLED', 'REPLIED', 'REJECTED', 'DUPLICATE', 'WITHDRAWN'];
  var COLOURS = ['c1', 'c2', 'c3', 'c4'];

  function tile(id, title, value, note, link) {
    var v = el(link ? 'a' : 'span', { class: 'tile-value' + (id === 'tile-overdue' && value > 0 ? ' hot' : ''), href: link || null, text: value === null || value === undefined ? '—' : String(value) });
    return el('div', { class: 'tile', id: id }, [el('p', { class: 'tile-title', text: title }), v, note ? el('p', { class: 'tile-note', text: note }) : null]);
  }

  function chart(title, weeks, series) {
    var names = Object.keys(series).filter(function (n) { return series[n].some(function (x) { return x > 0; }); });
    var totals = weeks.map(function (w, i) { return names.reduce(function (s, n) { return s + series[n][i]; }, 0); });
    var max = Math.max(1, Math.max.apply(null, totals));
    var W = 600, H = 180, pad = 28, bw = (W - pad) / weeks.length;
    var g = svg('svg', { viewBox: '0 0 ' + W + ' ' + (H + 24), role: 'img', 'aria-label': title + ': requests per week', class: 'chart' });
    g.appendChild(svg('text', { x: 0, y: 12, class: 'axis' }, [String(max)]));
    g.appendChild(svg('text', { x: 0, y: H, class: 'axis' }, ['0']));
    weeks.forEach(function (w, i) {
      var y = H;
      names.forEach(function (n, k) {
        var h = series[n][i] / max * (H - 16);
        if (h > 0) {
          y -= h;
          var rect = svg('rect', { x: pad + i * bw + 2, y: y, width: bw - 4, height: h, class: 'bar ' + COLOURS[k % COLOURS.length] });
          rect.appendChild(svg('title', {}, [w + ' · ' + label(n) + ': ' + series[n][i]]));
          g.appendChild(rect);
        }
      });
      if (i % 2 === 0) { g.appendChild(svg('text', { x: pad + i * bw, y: H + 16, class: 'axis' }, [w.substring(5)])); }
    });
    var legend = el('ul', { class: 'legend' }, names.map(function (n, k) {
      return el('li', {}, [el('span', { class: 'swatch ' + COLOURS[k % COLOURS.length] }), label(n)]);
    }));
    var table = el('table', { class: 'sr-only' }, [el('caption', { text: title }),
      el('tr', {}, [el('th', { text: 'week' })].concat(names.map(function (n) { return el('th', { text: label(n) }); })))]
      .concat(weeks.map(function (w, i) { return el('tr', {}, [el('td', { text: w })].concat(names.map(function (n) { return el('td', { text: String(series[n][i]) }); }))); })));
    return el('figure', { class: 'panel' }, [el('figcaption', { text: title }), names.length ? g : el('p', { class: 'muted', text: 'No requests in these twelve weeks.' }), legend, table]);
  }

  function overview() {
    return api('GET', '/api/console/overview').then(function (o) {
      zone = o.zone || zone;
      var ratio = o.onTimeRatioThisMonth === null ? null : Math.round(o.onTimeRatioThisMonth * 100) + '%';
      var failing = o.systemsWithFailures;
      view.replaceChildren(
        el('h1', { text: 'Overview' }),
        el('div', { class: 'tiles' }, [
          tile('tile-open', 'Open requests', o.open, null, '#/cases'),
          tile('tile-soon', 'Due within 3 days', o.dueWithin3Days, null, '#/cases?due=3'),
          tile('tile-overdue', 'Overdue', o.overdue, null, '#/cases?due=overdue'),
          tile('tile-ontime', 'Closed on time this month', o.closedOnTimeThisMonth, 'of ' + o.closedThisMonth + ' answered' + (ratio ? ' (' + ratio + ')' : '')),
          tile('tile-median', 'Median days to close', o.medianDaysToClose, 'this month, receipt to answer')
        ]),
        el('div', { class: 'charts' }, [chart('By channel', o.volume.weeks, o.volume.channel), chart('By type', o.volume.weeks, o.volume.type)]),
        el('section', { class: 'panel', id: 'failing' }, [el('h2', { text: 'Systems with failures' }),
          failing.length === 0 ? el('p', { class: 'muted', text: 'Every connected system is answering.' })
            : el('table', { class: 'grid' }, [el('tr', {}, ['System', 'Health', 'Failed tasks', 'Last error'].map(function (h) { return el('th', { text: h }); }))]
              .concat(failing.map(function (f) {
                return el('tr', {}, [el('td', {}, [el('a', { href: '#/cases?system=' + encodeURIComponent(f.system), text: f.system })]),
                  el('td', { text: label(f.health) }), el('td', { text: String(f.failedTasks) }),
                  el('td', { text: f.lastError ? (f.lastError.error || '') : '' })]);
              })))]));
    });
  }

  // ---------- case list ----------
  function cases(params) {
    var q = new URLSearchParams(params);
    var form = el('form', { class: 'filters', id: 'case-filters' }, [
      field('State', el('select', { name: 'state' }, options(STATES, q.get('state'), 'open (any)'))),
      field('Channel', el('select', { name: 'channel' }, options(CHANNELS, q.get('channel'), 'any'))),
      field('Type', el('select', { name: 'type' }, options(TYPES, q.get('type'), 'any'))),
      field('Days left', el('select', { name: 'due' }, [['', 'any'], ['overdue', 'overdue'], ['3', 'within 3 days'], ['7', 'within 7 days'],
        ['15', 'within 15 days'], ['none', 'no deadline yet']].map(function (o) { return el('option', { value: o[0], selected: o[0] === (q.get('due') || ''), text: o[1] }); }))),
      field('System', el('input', { name: 'system', value: q.get('system') || '', size: 10, placeholder: 'e.g. billing' })),
      field('Reference', el('input', { name: 'reference', value: q.get('reference') || '', size: 12 })),
      field('Closed too', el('input', { type: 'checkbox', name: 'scope', value: 'all', checked: q.get('scope') === 'all' })),
      el('button', { class: 'button small primary', type: 'submit', text: 'Filter' })
    ]);
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var out = new URLSearchParams();
      new FormData(form).forEach(function (v, k) { if (v) { out.set(k, v); } });
      location.hash = '#/cases' + (out.toString() ? '?' + out : '');
    });
    var offset = parseInt(q.get('offset') || '0', 10) || 0;
    q.set('limit', '50');
    return api('GET', '/api/console/cases?' + q).then(function (r) {
      var rows = r.cases.map(function (c) {
        return el('tr', { 'data-reference': c.reference }, [
          el('td', {}, [el('a', { href: '#/case/' + c.reference, class: 'mono', text: c.reference })]),
          el('td', { text: label(c.type) }), el('td', { text: label(c.channel) }), el('td', { text: label(c.state) }),
          el('td', { text: when(c.receivedAt) }), el('td', { text: when(c.dueAt) }),
          el('td', {}, [badge(c.daysLeft, c.state)]),
          el('td', { text: c.failedSystems.join(', ') })]);
      });
      var pager = el('p', { class: 'pager' }, [
        offset > 0 ? el('a', { href: '#/cases?' + page(params, offset - 50), text: '← newer page' }) : null,
        ' ' + r.total + ' requests ',
        offset + 50 < r.total ? el('a', { href: '#/cases?' + page(params, offset + 50), text: 'next page →' }) : null]);
      view.replaceChildren(el('h1', { text: 'Cases' }), form,
        rows.length === 0 ? el('p', { class: 'muted', text: 'No request matches these filters.' }) :
          el('table', { class: 'grid', id: 'case-list' }, [el('tr', {}, ['Reference', 'Type', 'Channel', 'State', 'Received', 'Due', 'Days left', 'Failed systems']
            .map(function (h) { return el('th', { scope: 'col', text: h }); }))].concat(rows)), pager);
    });
  }
  function page(params, offset) { var q = new URLSearchParams(params); q.set('offset', String(offset)); return q.toString(); }
  function field(text, input) {
    return el('label', { class: 'filter' }, [el('span', { text: text }), input]);
  }

  // ---------- one case ----------
  function caseView(ref) {
    return api('GET', '/api/console/cases/' + encodeURIComponent(ref)).then(function (c) {
      var facts = [['Reference', c.reference], ['Type', label(c.type)], ['Channel', label(c.channel) + (c.ticket ? ' (' + c.ticket + ')' : '')],
        ['State', label(c.state)], ['Person', c.subject], ['Requester', c.requester === c.subject ? 'the person' : c.requester],
        ['Language', c.language], ['Received', when(c.receivedAt)], ['Verified', when(c.verifiedAt)], ['Policy', c.policy || '—'],
        ['Due', when(c.dueAt)], ['Closed', when(c.closedAt)]];
      var dl = el('dl', { class: 'facts' }, []);
      facts.forEach(function (f) {
        dl.appendChild(el('dt', { text: f[0] }));
        dl.appendChild(el('dd', { id: 'case-' + f[0].toLowerCase(), text: f[1] || '—' }));
      });
      var tasks = el('table', { class: 'grid', id: 'tasks' }, [el('tr', {}, ['System', 'Action', 'State', 'Attempts', 'Error'].map(function (h) { return el('th', { text: h }); }))]
        .concat(c.tasks.map(function (t) {
          return el('tr', { 'data-system': t.system }, [el('td', { text: t.system }), el('td', { text: t.action.toLowerCase() }),
            el('td', { text: label(t.state) }), el('td', { text: String(t.attempts) }), el('td', { class: 'error-text', text: t.error || '' })]);
        })));
      var mails = el('table', { class: 'grid', id: 'mails' }, [el('tr', {}, ['#', 'To', 'Subject', 'Sent'].map(function (h) { return el('th', { text: h }); }))]
        .concat(c.mails.map(function (m) {
          return el('tr', {}, [el('td', { text: String(m.id) }), el('td', { text: m.to }), el('td', { text: m.subject }),
            el('td', { text: m.sentAt ? when(m.sentAt) : (m.lastError ? 'failing: ' + m.lastError : 'queued') })]);
        })));
      var timeline = el('ol', { class: 'timeline', id: 'timeline' }, c.timeline.map(function (e) {
        var d = e.detail || {};
        var summary = Object.keys(d).map(function (k) { return k + ': ' + (typeof d[k] === 'object' ? JSON.stringify(d[k]) : d[k]); }).join(' · ');
        return el('li', {}, [el('time', { datetime: e.at, text: when(e.at) }), ' ', el('strong', { text: e.action }), ' by ', el('span', { text: e.actor }),
          summary ? el('div', { class: 'muted small', text: summary }) : null]);
      }));
      view.replaceChildren(
        el('p', {}, [el('a', { href: '#/cases', text: '← all cases' })]),
        el('h1', {}, ['Request ', el('span', { class: 'mono', text: c.reference }), ' ', badge(c.daysLeft, c.state)]),
        el('div', { class: 'case-layout' }, [
          el('div', {}, [el('section', { class: 'panel' }, [el('h2', { text: 'Facts' }), dl]),
            el('section', { class: 'panel' }, [el('h2', { text: 'Systems' }), c.tasks.length ? tasks : el('p', { class: 'muted', text: 'No system has been asked yet.' })]),
            el('section', { class: 'panel' }, [el('h2', { text: 'Mails' }), c.mails.length ? mails : el('p', { class: 'muted', text: 'No mail yet.' })]),
            el('section', { class: 'panel' }, [el('h2', { text: 'Timeline (audit log)' }), timeline])]),
          can('agent') ? actionsPanel(c) : el('aside', { class: 'panel muted', text: 'Your role can read cases; agents act on them.' })
        ]));
    });
  }

  function actionsPanel(c) {
    var forms = [];
    var closed = ['REPLIED', 'REJECTED', 'DUPLICATE', 'WITHDRAWN'].indexOf(c.state) >= 0;
    if (c.state === 'AWAITING_VERIFICATION') {
      forms.push(action(c, 'attest', 'Attest identity', 'The person proved who they are another way (a call, a signed-in session).', [
        input('Method', 'method', 'text', 'e.g. phone-call'), textarea('What you checked', 'note')]));
    }
    if (c.dueAt && !closed) {
      forms.push(action(c, 'extend', 'Extend the deadline', 'The requester is told by mail, with the reason.', [
        input('Amount', 'amount', 'number', '', { min: 1, max: 90, required: true }),
        el('label', {}, [el('span', { text: 'Unit' }), el('select', { name: 'unit' }, [el('option', { value: '', text: 'the policy\'s unit' }),
          el('option', { value: 'CALENDAR_DAYS', text: 'calendar days' }), el('option', { value: 'WORKING_DAYS', text: 'working days' }),
          el('option', { value: 'MONTHS', text: 'months' })])]),
        textarea('Reason (sent to the requester)', 'reason')]));
    }
    if (c.state === 'NEEDS_ATTENTION') {
      var failed = c.tasks.filter(function (t) { return t.state === 'FAILED'; }).map(function (t) { return t.system; });
      forms.push(action(c, 'retry', 'Retry a system', 'Systems already done are not asked again.', [
        el('label', {}, [el('span', { text: 'System' }), el('select', { name: 'system' }, [el('option', { value: '', text: 'every failed system' })]
          .concat(failed.map(function (s) { return el('option', { value: s, text: s }); })))]), textarea('Reason', 'reason')]));
    }
    var openManual = c.manualTasks.filter(function (m) { return !m.answeredAt; });
    if (openManual.length) {
      forms.push(action(c, 'close-task', 'Close a manual task', 'When the owner answered another way. An export closed here has nothing found; ' +
        'records are uploaded through the owner\'s link. For an erasure, give rows changed per dataset, e.g. "ledger=3, notes=1".', [
        el('label', {}, [el('span', { text: 'System' }), el('select', { name: 'system' }, openManual.map(function (m) { return el('option', { value: m.system, text: m.system + ' (' + m.action + ')' }); }))]),
        input('Rows per dataset (erasure)', 'rows', 'text', 'dataset=count, ...'), textarea('Reason', 'reason')]));
    }
    if (['RECEIVED', 'AWAITING_CLARIFICATION', 'AWAITING_VERIFICATION'].indexOf(c.state) >= 0) {
      forms.push(action(c, 'reject', 'Reject the request', 'Closes it; the requester gets the reason in their language — write it in ' + (c.language === 'zh' ? 'Chinese' : 'English') + '.', [
        textarea('Reason (sent to the requester)', 'reason')]));
    }
    var resendable = c.mails.filter(function (m) { return m.sentAt && m.to === c.requester; });
    if (resendable.length) {
      forms.push(action(c, 'resend-mail', 'Resend a mail', 'The same text again, as a new message in the thread.', [
        el('label', {}, [el('span', { text: 'Mail' }), el('select', { name: 'mail' }, resendable.map(function (m) { return el('option', { value: m.id, text: '#' + m.id + ' ' + m.subject }); }))]),
        textarea('Reason', 'reason')]));
    }
    return el('aside', { class: 'panel actions-panel', id: 'actions' }, [el('h2', { text: 'Actions' })].concat(forms.length ? forms : [el('p', { class: 'muted', text: 'Nothing to do on this request now.' })]));
  }
  function input(text, name, type, placeholder, extra) {
    var attrs = { name: name, type: type, placeholder: placeholder || null };
    Object.keys(extra || {}).forEach(function (k) { attrs[k] = extra[k]; });
    return el('label', {}, [el('span', { text: text }), el('input', attrs)]);
  }
  function textarea(text, name) {
    return el('label', {}, [el('span', { text: text }), el('textarea', { name: name, rows: 2, required: true, maxlength: 1000 })]);
  }
  function action(c, name, title, help, fields) {
    var form = el('form', { class: 'action', 'data-action': name }, [el('h3', { text: title }), el('p', { class: 'muted small', text: help })]
      .concat(fields).concat([el('button', { class: 'button small primary', type: 'submit', text: title })]));
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var body = {};
      new FormData(form).forEach(function (v, k) { body[k] = v; });
      if (name === 'extend') { body.amount = parseInt(body.amount, 10); }
      if (name === 'resend-mail') { body.mail = parseInt(body.mail, 10); }
      if (name === 'close-task') {
        var rows = {};
        (body.rows || '').split(',').forEach(function (p) { var kv = p.split('='); if (kv.length === 2 && kv[0].trim()) { rows[kv[0].trim()] = parseInt(kv[1], 10); } });
        body.rows = rows;
      }
      var button = form.querySelector('button');
      button.disabled = true;
      api('POST', '/api/console/cases/' + c.reference + '/actions/' + name, body).then(function () {
        return caseView(c.reference).then(function () { say('success', title + ': done.'); });
      }).catch(function (err) { say('error', err.message); button.disabled = false; });
    });
    return form;
  }

  // ---------- regulator report ----------
  function report() {
    var today = new Date();
    var first = new Date(today.getFullYear(), today.getMonth() - 1, 1);
    var last = new Date(today.getFullYear(), today.getMonth(), 0);
    function iso(d) { return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0'); }
    var from = el('input', { type: 'date', name: 'from', value: iso(first), required: true });
    var to = el('input', { type: 'date', name: 'to', value: iso(last), required: true });
    var link = el('a', { class: 'button primary', id: 'report-link', text: 'Download CSV' });
    function update() { link.setAttribute('href', '/api/console/report.csv?from=' + from.value + '&to=' + to.value); }
    from.addEventListener('change', update);
    to.addEventListener('change', update);
    update();
    view.replaceChildren(el('h1', { text: 'Regulator report' }),
      el('p', { class: 'lead', text: 'Requests received, fulfilled and denied by type and channel, with median and mean days to respond, over whole days in ' + zone + '.' }),
      el('div', { class: 'filters' }, [field('From', from), field('To (inclusive)', to), link]));
    return Promise.resolve();
  }

  // ---------- outages ----------
  // Every page shows the servers and systems that do not answer, from memory on the server, so this
  // works even while the case store is down (when every other view fails).
  // The list is asked for only while the page is seen and someone used it in the last five
  // minutes, so an idle console still reaches the session's idle timeout.
  var lastInput = Date.now();
  var shown = '';
  ['click', 'keydown'].forEach(function (type) { document.addEventListener(type, function () { lastInput = Date.now(); }); });
  function outages() {
    if (document.hidden || Date.now() - lastInput > 5 * 60 * 1000) { return Promise.resolve(); }
    var box = document.getElementById('outages');
    return api('GET', '/api/console/dependencies').then(function (list) {
      var down = list.filter(function (d) { return d.status === 'DOWN'; });
      var key = JSON.stringify(down.map(function (d) { return [d.name, d.since, d.problem]; }));
      if (key === shown) { return; } // unchanged: not announced again
      shown = key;
      box.replaceChildren.apply(box, down.length === 0 ? [] : [el('section', { class: 'alert alert-error outages' }, [
        el('p', { text: down.length === 1 ? 'Outage: one server or system does not answer.' : 'Outage: ' + down.length + ' servers or systems do not answer.' }),
        el('ul', {}, down.map(function (d) {
          return el('li', { 'data-dependency': d.name }, [el('strong', { text: d.name }), ' (' + d.kind + ') has not answered since ' + when(d.since)
            + (d.problem ? ': ' + d.problem : '')]);
        })),
        el('p', { class: 'muted', text: 'Requests already received are kept; their work resumes when the server answers again.' })])]);
    }).catch(function () { /* signed out, or this instance is stopping: the next poll tries again */ });
  }

  // ---------- routing ----------
  function route() {
    var hash = location.hash || '#/overview';
    var path = hash.substring(1).split('?')[0];
    var params = hash.indexOf('?') >= 0 ? hash.substring(hash.indexOf('?') + 1) : '';
    document.querySelectorAll('[data-nav]').forEach(function (a) {
      if (path.indexOf('/' + a.getAttribute('data-nav')) === 0 || (path.indexOf('/case/') === 0 && a.getAttribute('data-nav') === 'cases')) {
        a.setAttribute('aria-current', 'page');
      } else { a.removeAttribute('aria-current'); }
    });
    say('', '');
    var done;
    if (path.indexOf('/case/') === 0) { done = caseView(decodeURIComponent(path.substring(6))); }
    else if (path === '/cases') { done = cases(params); }
    else if (path === '/report' && can('manager')) { done = report(); }
    else { done = overview(); }
    done.then(function () { view.setAttribute('data-loaded', path); })
      .catch(function (err) { say('error', err.message); });
  }

  api('GET', '/api/console/me').then(function (m) {
    me = m;
    document.getElementById('who').textContent = m.name + ' (' + m.roles.join(', ') + ')';
    document.querySelectorAll('[data-role]').forEach(function (e) { e.hidden = !can(e.getAttribute('data-role')); });
    zone = m.zone || zone;
  }).then(function () {
    window.addEventListener('hashchange', route);
    outages();
    setInterval(outages, 10000);
    route();
  }).catch(function (err) { say('error', err.message); });
})();
