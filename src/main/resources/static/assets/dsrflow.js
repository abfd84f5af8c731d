/*
 * dsrflow — requester pages (index.html, verify.html, status.html).
 * Plain JavaScript, no dependencies. All user-visible strings live in STRINGS.
 * Anything coming from the server or the URL is inserted with textContent only.
 */
(function () {
  'use strict';

  // ---------------------------------------------------------------------------
  // Strings (English / 简体中文)
  // ---------------------------------------------------------------------------
  var STRINGS = {
    en: {
      'skip': 'Skip to main content',
      'lang.group': 'Page language',
      'nav.new': 'New request',
      'nav.status': 'Check status',
      'footer.text': 'We use your email address only to handle your request.',

      // index.html
      'index.title': 'Privacy request — dsrflow',
      'index.heading': 'Make a privacy request',
      'index.intro': 'Ask for a copy of the personal data we hold about you, or ask us to delete it.',
      'form.type': 'What would you like us to do?',
      'type.ACCESS.label': 'Access — send me a copy of my personal data',
      'type.DELETION.label': 'Deletion — delete my personal data',
      'form.email': 'Your email address',
      'form.email.hint': 'The address you use with us. We use it only for this request.',
      'form.language': 'Reply language',
      'form.language.hint': 'The language of our emails to you.',
      'how.heading': 'What happens next',
      'how.1': 'We send a one-time 6-digit code to this address to check that it is yours.',
      'how.2': 'You enter the code here, or click the link in the email. Until you do, we do nothing with your request.',
      'how.3': 'We reply within 15 days after verification — with a copy of your data, or with confirmation that it has been deleted.',
      'form.submit': 'Send request',
      'err.type.required': 'Please choose what you would like us to do.',
      'err.email.required': 'Please enter your email address.',
      'err.email.invalid': 'Please enter a valid email address, for example name@example.com.',
      'err.email.tooLong': 'The email address is too long (at most 254 characters).',

      // index.html, step 2
      'step2.heading': 'Check your email',
      'step2.reference': 'Your reference',
      'step2.referenceHint': 'Keep this reference. You can use it to check the status of your request.',
      'step2.sent': 'We have sent a one-time code to {email}. It can take a few minutes to arrive; please also check your spam folder.',
      'step2.code': 'Enter the 6-digit code we sent to your email',
      'step2.codeHint': 'Or click the link in the email instead.',
      'step2.confirm': 'Confirm',
      'step2.resend': 'Send a new code',
      'step2.phone': 'To delete an account, also enter the phone number on the account',
      'error.data_point_required': 'To delete an account we also need the phone number on the account. Please enter it below.',
      'error.data_point_mismatch': 'The phone number does not match the one on the account.',
      'step2.resent': 'We sent a new code to your email. The previous one no longer works.',
      'err.code.format': 'Please enter the 6 digits from the email.',
      'copy': 'Copy',
      'copied': 'Copied',
      'link.status': 'Check the status of this request',
      'link.new': 'Start a new request',

      // verification result
      'verified.before': 'Verified. We will reply by ',
      'verified.after': ' at the latest.',
      'verified.noDate': 'Verified. We will reply within 15 days.',

      // verify.html
      'verify.title': 'Confirm your request — dsrflow',
      'verify.heading': 'Confirm your request',
      'verify.intro': 'To protect your data, we act on a request only after you confirm that the email address is yours.',
      'verify.reference': 'Reference',
      'verify.action': 'Click the button to confirm. We reply within 15 days after confirmation.',
      'verify.confirm': 'Confirm my request',
      'verify.notMe': 'If you did not make this request, simply ignore the email — nothing will happen.',
      'verify.incomplete': 'This link is incomplete. Please open the full link from the email, or enter the code on the request page.',

      // status.html
      'status.title': 'Request status — dsrflow',
      'status.heading': 'Request status',
      'status.intro': 'Enter the reference you received to see where your request stands.',
      'status.lookupLabel': 'Reference',
      'status.lookupHint': 'Shown after you submitted your request, and in our emails.',
      'status.lookup': 'Show status',
      'status.caption': 'Your request',
      'status.refRequired': 'Please enter a reference.',
      'status.notFound': 'No request with this reference.',
      'status.allStates': 'What the states mean',
      'field.reference': 'Reference',
      'field.type': 'Request type',
      'field.state': 'State',
      'field.language': 'Reply language',
      'field.receivedAt': 'Received',
      'field.verifiedAt': 'Verified',
      'field.dueAt': 'Reply due by',
      'field.closedAt': 'Closed',
      'value.none': '—',
      'type.ACCESS': 'Access — a copy of my personal data',
      'type.DELETION': 'Deletion of my personal data',
      'langname.en': 'English',
      'langname.zh': '中文',

      'state.RECEIVED': 'Received',
      'state.RECEIVED.help': 'We have received the request.',
      'state.AWAITING_VERIFICATION': 'Awaiting verification',
      'state.AWAITING_VERIFICATION.help': 'Waiting for you to confirm your email address with the code or link we sent.',
      'state.VERIFIED': 'Verified',
      'state.VERIFIED.help': 'Your email address is confirmed and the 15-day period has started.',
      'state.IN_PROGRESS': 'In progress',
      'state.IN_PROGRESS.help': 'We are collecting or deleting your data in our systems.',
      'state.WAITING_ON_SYSTEMS': 'Waiting on systems',
      'state.WAITING_ON_SYSTEMS.help': 'We are waiting for some of our systems to finish their part.',
      'state.NEEDS_ATTENTION': 'Needs attention',
      'state.NEEDS_ATTENTION.help': 'A member of our team is looking at the request by hand.',
      'state.FULFILLED': 'Fulfilled',
      'state.FULFILLED.help': 'The work is done; our reply to you is being prepared.',
      'state.REPLIED': 'Replied',
      'state.REPLIED.help': 'We have sent our reply to your email address.',
      'state.REJECTED': 'Rejected',
      'state.REJECTED.help': 'The request was not carried out. Where we could, we told you why by email.',
      'state.DUPLICATE': 'Duplicate',
      'state.DUPLICATE.help': 'The same request is already open; we handle it there.',
      'state.WITHDRAWN': 'Withdrawn',
      'state.WITHDRAWN.help': 'The request was withdrawn and will not be processed.',

      // errors
      'error.invalid_code': 'That code is not correct. Please check it and try again.',
      'error.invalid_token': 'This confirmation link is not valid. Please use the code from the email on the request page.',
      'error.expired': 'The code or link has expired. Please send a new request.',
      'error.too_many_attempts': 'Too many incorrect attempts. Please send a new request.',
      'error.rate_limited': 'Too many requests in a short time. Please wait a while and try again.',
      'error.resend_too_soon': 'A new code was sent moments ago. Please wait a minute before asking again.',
      'error.resend_limit': 'No more new codes can be sent for this request. Please use the latest code, or make a new request.',
      'error.already_verified': 'This request has already been confirmed.',
      'error.not_found': 'No request with this reference.',
      'error.validation_failed': 'Please check your entries.',
      'error.generic': 'Sorry, the request could not be processed. Please try again later.',
      'error.server': 'Sorry, something went wrong on our side. Please try again later.',
      'error.network': 'We could not reach the server. Please check your connection and try again — what you entered has been kept.'
    },

    zh: {
      'skip': '跳到主要内容',
      'lang.group': '页面语言',
      'nav.new': '新请求',
      'nav.status': '查询进度',
      'footer.text': '您的邮箱地址仅用于处理您的请求。',

      'index.title': '隐私请求 — dsrflow',
      'index.heading': '提交隐私请求',
      'index.intro': '您可以要求获取我们所持有的您的个人数据副本，或要求我们删除这些数据。',
      'form.type': '您希望我们做什么？',
      'type.ACCESS.label': '访问/导出我的个人数据',
      'type.DELETION.label': '删除我的个人数据',
      'form.email': '您的电子邮箱地址',
      'form.email.hint': '请填写您在我们这里使用的邮箱地址。该地址仅用于处理本次请求。',
      'form.language': '答复语言',
      'form.language.hint': '我们发送给您的邮件所使用的语言。',
      'how.heading': '接下来会发生什么',
      'how.1': '我们会向该地址发送一个一次性 6 位验证码，以确认该邮箱属于您。',
      'how.2': '请在此页面输入验证码，或点击邮件中的链接。在您完成验证之前，我们不会处理您的请求。',
      'how.3': '验证完成后，我们将在 15 天内答复：向您提供数据副本，或确认数据已被删除。',
      'form.submit': '提交请求',
      'err.type.required': '请选择请求类型。',
      'err.email.required': '请输入您的电子邮箱地址。',
      'err.email.invalid': '请输入有效的电子邮箱地址，例如 name@example.com。',
      'err.email.tooLong': '邮箱地址过长（最多 254 个字符）。',

      'step2.heading': '请查收邮件',
      'step2.reference': '您的参考编号',
      'step2.referenceHint': '请保存此参考编号，可用于查询请求的处理进度。',
      'step2.sent': '我们已向 {email} 发送一次性验证码。邮件可能需要几分钟才能送达，请同时检查垃圾邮件文件夹。',
      'step2.code': '请输入我们发送到您邮箱的 6 位验证码',
      'step2.codeHint': '您也可以直接点击邮件中的链接。',
      'step2.confirm': '确认',
      'step2.resend': '重新发送验证码',
      'step2.phone': '注销账号还需填写账号登记的手机号码',
      'error.data_point_required': '注销账号还需核对账号登记的手机号码，请在下方填写。',
      'error.data_point_mismatch': '手机号码与账号登记的不一致。',
      'step2.resent': '新的验证码已发送到您的邮箱，之前的验证码已失效。',
      'err.code.format': '请输入邮件中的 6 位数字。',
      'copy': '复制',
      'copied': '已复制',
      'link.status': '查询此请求的进度',
      'link.new': '提交新的请求',

      'verified.before': '验证成功。我们最迟将于 ',
      'verified.after': ' 前答复您。',
      'verified.noDate': '验证成功。我们将在 15 天内答复您。',

      'verify.title': '确认您的请求 — dsrflow',
      'verify.heading': '确认您的请求',
      'verify.intro': '为保护您的数据，只有在您确认该邮箱地址属于您之后，我们才会处理请求。',
      'verify.reference': '参考编号',
      'verify.action': '请点击下方按钮进行确认。确认后，我们将在 15 天内答复。',
      'verify.confirm': '确认我的请求',
      'verify.notMe': '如果您没有提交过此请求，请忽略该邮件，我们不会进行任何处理。',
      'verify.incomplete': '此链接不完整。请打开邮件中的完整链接，或在请求页面输入验证码。',

      'status.title': '请求进度 — dsrflow',
      'status.heading': '请求进度',
      'status.intro': '输入您收到的参考编号，查看请求的处理进度。',
      'status.lookupLabel': '参考编号',
      'status.lookupHint': '提交请求后页面上显示的编号，我们的邮件中也会提供。',
      'status.lookup': '查询',
      'status.caption': '您的请求',
      'status.refRequired': '请输入参考编号。',
      'status.notFound': '没有与此参考编号对应的请求。',
      'status.allStates': '各状态的含义',
      'field.reference': '参考编号',
      'field.type': '请求类型',
      'field.state': '状态',
      'field.language': '答复语言',
      'field.receivedAt': '收到时间',
      'field.verifiedAt': '验证时间',
      'field.dueAt': '最迟答复日期',
      'field.closedAt': '结案时间',
      'value.none': '—',
      'type.ACCESS': '访问/导出我的个人数据',
      'type.DELETION': '删除我的个人数据',
      'langname.en': 'English',
      'langname.zh': '中文',

      'state.RECEIVED': '已收到',
      'state.RECEIVED.help': '我们已收到该请求。',
      'state.AWAITING_VERIFICATION': '等待验证',
      'state.AWAITING_VERIFICATION.help': '等待您通过我们发送的验证码或链接确认邮箱地址。',
      'state.VERIFIED': '已验证',
      'state.VERIFIED.help': '您的邮箱地址已确认，15 天的答复期限已开始计算。',
      'state.IN_PROGRESS': '处理中',
      'state.IN_PROGRESS.help': '我们正在各系统中收集或删除您的数据。',
      'state.WAITING_ON_SYSTEMS': '等待系统处理',
      'state.WAITING_ON_SYSTEMS.help': '我们正在等待部分系统完成各自的处理。',
      'state.NEEDS_ATTENTION': '人工处理中',
      'state.NEEDS_ATTENTION.help': '我们的工作人员正在人工处理该请求。',
      'state.FULFILLED': '已完成',
      'state.FULFILLED.help': '处理工作已完成，我们正在准备给您的答复。',
      'state.REPLIED': '已答复',
      'state.REPLIED.help': '我们已将答复发送到您的邮箱。',
      'state.REJECTED': '已拒绝',
      'state.REJECTED.help': '该请求未被执行。在能够联系到您的情况下，我们已通过邮件说明原因。',
      'state.DUPLICATE': '重复请求',
      'state.DUPLICATE.help': '相同的请求已在处理中，我们将在该请求中一并处理。',
      'state.WITHDRAWN': '已撤回',
      'state.WITHDRAWN.help': '该请求已被撤回，不会再被处理。',

      'error.invalid_code': '验证码不正确，请检查后重试。',
      'error.invalid_token': '此确认链接无效。请在请求页面输入邮件中的验证码。',
      'error.expired': '验证码或链接已过期，请重新提交请求。',
      'error.too_many_attempts': '错误尝试次数过多，请重新提交请求。',
      'error.rate_limited': '短时间内请求过多，请稍后再试。',
      'error.resend_too_soon': '新的验证码刚刚已发送，请稍等一分钟后再试。',
      'error.resend_limit': '此请求已无法再发送新的验证码。请使用最新的验证码，或重新提交请求。',
      'error.already_verified': '该请求已经确认过了。',
      'error.not_found': '没有与此参考编号对应的请求。',
      'error.validation_failed': '请检查您填写的内容。',
      'error.generic': '抱歉，无法处理该请求，请稍后重试。',
      'error.server': '抱歉，我们这边出现了问题，请稍后重试。',
      'error.network': '无法连接到服务器。请检查网络连接后重试——您填写的内容已保留。'
    }
  };

  var STATES = ['RECEIVED', 'AWAITING_VERIFICATION', 'VERIFIED', 'IN_PROGRESS', 'WAITING_ON_SYSTEMS',
    'NEEDS_ATTENTION', 'FULFILLED', 'REPLIED', 'REJECTED', 'DUPLICATE', 'WITHDRAWN'];

  // Verification errors after which retrying the same code/link cannot help.
  var TERMINAL_ERRORS = ['expired', 'too_many_attempts', 'already_verified', 'not_found'];

  var LANG_KEY = 'dsrflow.lang';
  var REQUEST_TIMEOUT_MS = 30000;

  var lang = 'en';
  var langListeners = [];

  function has(obj, key) {
    return Object.prototype.hasOwnProperty.call(obj, key);
  }

  function $(id) {
    return document.getElementById(id);
  }

  // ---------------------------------------------------------------------------
  // i18n
  // ---------------------------------------------------------------------------
  function hasKey(key) {
    return has(STRINGS.en, key);
  }

  function t(key, params) {
    var table = STRINGS[lang];
    var s = has(table, key) ? table[key] : (has(STRINGS.en, key) ? STRINGS.en[key] : key);
    if (params) {
      s = s.replace(/\{(\w+)\}/g, function (m, name) {
        return has(params, name) ? String(params[name]) : m;
      });
    }
    return s;
  }

  function detectLanguage() {
    try {
      var stored = window.localStorage.getItem(LANG_KEY);
      if (stored === 'en' || stored === 'zh') {
        return stored;
      }
    } catch (e) { /* storage unavailable */ }
    var nav = (navigator.languages && navigator.languages[0]) || navigator.language || '';
    return /^zh\b/i.test(nav) ? 'zh' : 'en';
  }

  function applyTranslations() {
    document.documentElement.lang = lang === 'zh' ? 'zh-Hans' : 'en';
    var nodes = document.querySelectorAll('[data-i18n]');
    for (var i = 0; i < nodes.length; i++) {
      nodes[i].textContent = t(nodes[i].getAttribute('data-i18n'));
    }
    // data-i18n-attr="aria-label:key;title:key"
    var attrNodes = document.querySelectorAll('[data-i18n-attr]');
    for (var j = 0; j < attrNodes.length; j++) {
      var pairs = attrNodes[j].getAttribute('data-i18n-attr').split(';');
      for (var k = 0; k < pairs.length; k++) {
        var p = pairs[k].split(':');
        if (p.length === 2) {
          attrNodes[j].setAttribute(p[0].trim(), t(p[1].trim()));
        }
      }
    }
    var en = $('lang-en');
    var zh = $('lang-zh');
    if (en) { en.setAttribute('aria-pressed', String(lang === 'en')); }
    if (zh) { zh.setAttribute('aria-pressed', String(lang === 'zh')); }
    for (var n = 0; n < langListeners.length; n++) {
      langListeners[n]();
    }
  }

  function setLanguage(newLang, remember) {
    lang = newLang === 'zh' ? 'zh' : 'en';
    if (remember) {
      try { window.localStorage.setItem(LANG_KEY, lang); } catch (e) { /* ignore */ }
    }
    applyTranslations();
  }

  function onLanguageChange(fn) {
    langListeners.push(fn);
  }

  // ---------------------------------------------------------------------------
  // Formatting
  // ---------------------------------------------------------------------------
  function locale() {
    if (lang === 'zh') {
      return 'zh-CN';
    }
    var nav = navigator.language || '';
    return /^en\b/i.test(nav) ? nav : 'en-GB';
  }

  function formatDate(iso, withTime) {
    if (iso === null || iso === undefined || iso === '') {
      return null;
    }
    var d = new Date(iso);
    if (isNaN(d.getTime())) {
      return String(iso);
    }
    var opts = { year: 'numeric', month: 'long', day: 'numeric' };
    if (withTime) {
      opts.hour = '2-digit';
      opts.minute = '2-digit';
      opts.timeZoneName = 'short';
    }
    try {
      return new Intl.DateTimeFormat(locale(), opts).format(d);
    } catch (e) {
      return withTime ? d.toLocaleString() : d.toLocaleDateString();
    }
  }

  // ---------------------------------------------------------------------------
  // Messages: #message is an aria-live region. A message is
  //   { kind: 'error'|'success'|'info', key, params } or { kind, text } or { kind, build: fn }
  // and is re-rendered when the language changes.
  // ---------------------------------------------------------------------------
  var currentMessage = null;

  function renderMessage() {
    var box = $('message');
    if (!box) {
      return;
    }
    box.textContent = '';
    if (!currentMessage) {
      return;
    }
    var m = currentMessage;
    var p = document.createElement('p');
    p.className = 'alert alert-' + m.kind;
    if (m.build) {
      m.build(p);
    } else if (m.key) {
      p.textContent = t(m.key, m.params);
    } else {
      p.textContent = m.text;
    }
    box.appendChild(p);
  }

  function showMessage(msg) {
    currentMessage = msg;
    renderMessage();
    var box = $('message');
    if (box && box.scrollIntoView) {
      try { box.scrollIntoView({ block: 'nearest' }); } catch (e) { box.scrollIntoView(); }
    }
  }

  function clearMessage() {
    currentMessage = null;
    renderMessage();
  }

  // Field errors: an element with id "<field>-error" next to the field.
  var fieldErrors = {};
  var FIELD_INPUT = { email: 'email', language: 'language', code: 'code', type: 'type-access', ref: 'ref-input' };

  function renderFieldErrors() {
    for (var field in FIELD_INPUT) {
      if (!has(FIELD_INPUT, field)) { continue; }
      var el = $(field + '-error');
      var input = $(FIELD_INPUT[field]);
      var err = has(fieldErrors, field) ? fieldErrors[field] : null;
      if (el) {
        el.textContent = err ? (err.key ? t(err.key, err.params) : err.text) : '';
        el.hidden = !err;
      }
      if (field === 'type') {
        var group = $('type-group');
        if (group) { group.classList.toggle('has-error', !!err); }
        var radios = document.querySelectorAll('input[name="type"]');
        for (var i = 0; i < radios.length; i++) {
          toggleInvalid(radios[i], err);
        }
      } else if (input) {
        toggleInvalid(input, err);
      }
    }
  }

  function toggleInvalid(input, err) {
    if (err) {
      input.setAttribute('aria-invalid', 'true');
    } else {
      input.removeAttribute('aria-invalid');
    }
  }

  function setFieldError(field, msg) {
    fieldErrors[field] = msg;
    renderFieldErrors();
  }

  function clearFieldError(field) {
    if (has(fieldErrors, field)) {
      delete fieldErrors[field];
      renderFieldErrors();
    }
  }

  function clearFieldErrors() {
    fieldErrors = {};
    renderFieldErrors();
  }

  // ---------------------------------------------------------------------------
  // HTTP
  // ---------------------------------------------------------------------------
  function api(method, path, body) {
    var ctrl = typeof AbortController === 'function' ? new AbortController() : null;
    var timer = ctrl ? setTimeout(function () { ctrl.abort(); }, REQUEST_TIMEOUT_MS) : null;
    var init = {
      method: method,
      headers: { 'Accept': 'application/json' },
      credentials: 'same-origin',
      cache: 'no-store'
    };
    if (ctrl) { init.signal = ctrl.signal; }
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(path, init).then(function (res) {
      return res.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        if (data === null || typeof data !== 'object' || Array.isArray(data)) { data = null; }
        return { ok: res.ok, status: res.status, data: data, network: false };
      }, function () {
        return { ok: res.ok, status: res.status, data: null, network: false };
      });
    }, function () {
      return { ok: false, status: 0, data: null, network: true };
    }).then(function (result) {
      if (timer) { clearTimeout(timer); }
      return result;
    });
  }

  // Relative so the pages also work below a context path.
  function requestPath(ref, suffix) {
    return 'api/requests/' + encodeURIComponent(ref) + (suffix || '');
  }

  function statusHref(ref) {
    return 'status.html?ref=' + encodeURIComponent(ref);
  }

  function str(v) {
    return typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, 500) : null;
  }

  function errorCode(res) {
    return res.data ? str(res.data.error) : null;
  }

  /** Picks the message for a failed call: localized by error code if known, else the server's text. */
  function errorMessage(res) {
    if (res.network) { return { kind: 'error', key: 'error.network' }; }
    if (res.status >= 500) { return { kind: 'error', key: 'error.server' }; }
    if (res.status === 413 || res.status === 415) { return { kind: 'error', key: 'error.generic' }; }
    var code = errorCode(res);
    var kind = code === 'already_verified' ? 'info' : 'error';
    if (code && code !== 'validation_failed' && code !== 'generic' && hasKey('error.' + code)) {
      return { kind: kind, key: 'error.' + code };
    }
    var text = res.data ? str(res.data.message) : null;
    if (text && res.status >= 400 && res.status < 500) { return { kind: kind, text: text }; }
    if (code === 'validation_failed') { return { kind: 'error', key: 'error.validation_failed' }; }
    return { kind: 'error', key: 'error.generic' };
  }

  function setBusy(button, busy) {
    if (!button) { return; }
    button.disabled = busy;
    button.classList.toggle('busy', busy);
    if (busy) { button.setAttribute('aria-busy', 'true'); } else { button.removeAttribute('aria-busy'); }
  }

  /** Success message "Verified. We will reply by <date> at the latest." with the date in #due-date. */
  function verifiedMessage(dueAt) {
    return {
      kind: 'success',
      build: function (p) {
        var date = formatDate(dueAt, false);
        if (!date) {
          p.textContent = t('verified.noDate');
          return;
        }
        p.appendChild(document.createTextNode(t('verified.before')));
        var time = document.createElement('time');
        time.id = 'due-date';
        time.setAttribute('datetime', String(dueAt));
        time.textContent = date;
        var strong = document.createElement('strong');
        strong.appendChild(time);
        p.appendChild(strong);
        p.appendChild(document.createTextNode(t('verified.after')));
      }
    };
  }

  /**
   * Shared handling of POST /api/requests/{ref}/verification.
   * Returns 'verified', 'terminal' (retrying cannot help) or 'retry'.
   */
  function handleVerificationResult(res) {
    if (res.ok) {
      var d = res.data || {};
      showMessage(verifiedMessage(d.dueAt));
      return 'verified';
    }
    showMessage(errorMessage(res));
    var code = errorCode(res);
    return code && TERMINAL_ERRORS.indexOf(code) >= 0 ? 'terminal' : 'retry';
  }

  function showLink(id, href) {
    var a = $(id);
    if (a) {
      a.setAttribute('href', href);
      a.hidden = false;
    }
  }

  // ---------------------------------------------------------------------------
  // index.html
  // ---------------------------------------------------------------------------
  function normalizeCode(value) {
    return value
      .replace(/[\uFF10-\uFF19]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xFEE0); })
      .replace(/\D+/g, '')
      .slice(0, 6);
  }

  function initIndex() {
    var form = $('request-form');
    var submit = $('submit');
    var email = $('email');
    var language = $('language');
    var step = $('verify-step');
    var codeForm = $('code-form');
    var code = $('code');
    var confirm = $('confirm');
    var reference = null;
    var busy = false;
    var languageTouched = false;

    language.value = lang;
    language.addEventListener('change', function () { languageTouched = true; });
    onLanguageChange(function () {
      if (!languageTouched) { language.value = lang; }
    });

    email.addEventListener('input', function () { clearFieldError('email'); });
    language.addEventListener('change', function () { clearFieldError('language'); });
    var radios = document.querySelectorAll('input[name="type"]');
    for (var i = 0; i < radios.length; i++) {
      radios[i].addEventListener('change', function () { clearFieldError('type'); });
    }

    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      if (busy) { return; }
      clearFieldErrors();
      clearMessage();

      var checked = form.querySelector('input[name="type"]:checked');
      var type = checked ? checked.value : null;
      var address = email.value.trim();
      var firstInvalid = null;

      if (type !== 'ACCESS' && type !== 'DELETION') {
        setFieldError('type', { key: 'err.type.required' });
        firstInvalid = $('type-access');
      }
      if (!address) {
        setFieldError('email', { key: 'err.email.required' });
        firstInvalid = firstInvalid || email;
      } else if (address.length > 254) {
        setFieldError('email', { key: 'err.email.tooLong' });
        firstInvalid = firstInvalid || email;
      } else if (!email.checkValidity() || !/^[^\s@]+@[^\s@]+$/.test(address)) {
        setFieldError('email', { key: 'err.email.invalid' });
        firstInvalid = firstInvalid || email;
      }
      if (firstInvalid) {
        firstInvalid.focus();
        return;
      }

      busy = true;
      setBusy(submit, true);
      api('POST', 'api/requests', {
        type: type,
        email: address,
        language: language.value === 'zh' ? 'zh' : 'en'
      }).then(function (res) {
        busy = false;
        setBusy(submit, false);
        var ref = res.ok && res.data ? str(res.data.reference) : null;
        if (ref) {
          reference = ref;
          $('reference').textContent = ref;
          showLink('status-link', statusHref(ref));
          form.hidden = true;
          step.hidden = false;
          showMessage({ kind: 'info', key: 'step2.sent', params: { email: address } });
          code.focus();
          return;
        }
        if (res.ok) {
          showMessage({ kind: 'error', key: 'error.generic' });
          return;
        }
        var field = res.data ? str(res.data.field) : null;
        var msg = errorMessage(res);
        if (errorCode(res) === 'validation_failed' && field && has(FIELD_INPUT, field) && field !== 'code' && field !== 'ref') {
          setFieldError(field, msg);
          var input = $(FIELD_INPUT[field]);
          if (input) { input.focus(); }
        } else {
          showMessage(msg);
        }
      });
    });

    code.addEventListener('input', function () {
      var v = normalizeCode(code.value);
      if (v !== code.value) { code.value = v; }
      clearFieldError('code');
    });

    codeForm.addEventListener('submit', function (ev) {
      ev.preventDefault();
      if (busy || !reference) { return; }
      clearFieldErrors();
      var value = normalizeCode(code.value);
      if (!/^\d{6}$/.test(value)) {
        setFieldError('code', { key: 'err.code.format' });
        code.focus();
        return;
      }
      busy = true;
      setBusy(confirm, true);
      var attempt = { code: value };
      var phoneField = $('phone-field');
      if (phoneField && !phoneField.hidden && $('phone').value.trim()) { attempt.phone = $('phone').value.trim(); }
      api('POST', requestPath(reference, '/verification'), attempt).then(function (res) {
        busy = false;
        setBusy(confirm, false);
        var outcome = handleVerificationResult(res);
        if (outcome === 'verified' || outcome === 'terminal') {
          codeForm.hidden = true;
          if (errorCode(res) !== 'already_verified') {
            showLink('new-link', 'index.html');
          }
        } else if (errorCode(res) === 'data_point_required' || errorCode(res) === 'data_point_mismatch') {
          $('phone-field').hidden = false;
          $('phone').focus();
        } else if (errorCode(res) === 'invalid_code') {
          code.setAttribute('aria-invalid', 'true');
          code.select();
          code.focus();
        }
      });
    });

    var resend = $('resend');
    if (resend) {
      resend.addEventListener('click', function () {
        if (busy || !reference) { return; }
        busy = true;
        setBusy(resend, true);
        api('POST', requestPath(reference, '/verification/resend'), {}).then(function (res) {
          busy = false;
          setBusy(resend, false);
          if (res.ok) {
            showMessage({ kind: 'info', key: 'step2.resent' });
            code.value = '';
            code.focus();
          } else {
            showMessage(errorMessage(res));
          }
        });
      });
    }

    var copy = $('copy-reference');
    if (copy) {
      copy.addEventListener('click', function () {
        if (!reference) { return; }
        var done = function () {
          copy.textContent = t('copied');
          setTimeout(function () { copy.textContent = t('copy'); }, 2000);
        };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(reference).then(done, function () { selectText($('reference')); });
        } else {
          selectText($('reference'));
        }
      });
    }
  }

  function selectText(el) {
    if (!el || !window.getSelection) { return; }
    var range = document.createRange();
    range.selectNodeContents(el);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }

  // ---------------------------------------------------------------------------
  // verify.html
  // ---------------------------------------------------------------------------
  function initVerify() {
    var params = new URLSearchParams(window.location.search);
    var ref = str(params.get('ref'));
    var token = str(params.get('token'));
    var confirm = $('confirm');
    var busy = false;

    $('reference').textContent = ref || t('value.none');
    if (!ref || !token) {
      confirm.disabled = true;
      showMessage({ kind: 'error', key: 'verify.incomplete' });
      showLink('new-link', 'index.html');
      return;
    }

    confirm.addEventListener('click', function () {
      if (busy) { return; }
      busy = true;
      setBusy(confirm, true);
      clearMessage();
      api('POST', requestPath(ref, '/verification'), { token: token }).then(function (res) {
        busy = false;
        setBusy(confirm, false);
        var outcome = handleVerificationResult(res);
        if (outcome === 'verified' || outcome === 'terminal') {
          confirm.hidden = true;
          showLink('status-link', statusHref(ref));
          if (outcome === 'terminal' && errorCode(res) !== 'already_verified') {
            showLink('new-link', 'index.html');
          }
          // The token is spent: keep it out of the address bar and history.
          if (window.history && window.history.replaceState) {
            try { window.history.replaceState(null, '', 'verify.html?ref=' + encodeURIComponent(ref)); } catch (e) { /* ignore */ }
          }
        } else if (errorCode(res) === 'invalid_code') {
          // the server names a wrong token like a wrong code; on this page it was the link
          showMessage({ kind: 'error', key: 'error.invalid_token' });
          confirm.hidden = true;
          showLink('new-link', 'index.html');
        }
      });
    });
  }

  // ---------------------------------------------------------------------------
  // status.html
  // ---------------------------------------------------------------------------
  function initStatus() {
    var form = $('lookup-form');
    var input = $('ref-input');
    var button = $('lookup');
    var table = $('status-table');
    var current = null;
    var busy = false;

    function stateLabel(s) {
      return s && hasKey('state.' + s) ? t('state.' + s) : (s || t('value.none'));
    }

    function fill(id, text) {
      var el = $(id);
      if (el) { el.textContent = text === null || text === undefined || text === '' ? t('value.none') : text; }
    }

    function render() {
      renderStateList();
      if (!current) {
        table.hidden = true;
        return;
      }
      var d = current;
      var type = str(d.type);
      var st = str(d.state);
      var lg = str(d.language);
      fill('reference', str(d.reference));
      fill('type', type && hasKey('type.' + type) ? t('type.' + type) : type);
      fill('state', stateLabel(st));
      fill('state-code', st ? st : '');
      fill('state-help', st && hasKey('state.' + st + '.help') ? t('state.' + st + '.help') : '');
      $('state-code').hidden = !st;
      $('state-help').hidden = !(st && hasKey('state.' + st + '.help'));
      fill('language-value', lg && hasKey('langname.' + lg) ? t('langname.' + lg) : lg);
      fill('received-at', formatDate(d.receivedAt, true));
      fill('verified-at', formatDate(d.verifiedAt, true));
      fill('due-date', formatDate(d.dueAt, false));
      fill('closed-at', formatDate(d.closedAt, true));
      var due = $('due-date');
      if (d.dueAt) { due.setAttribute('datetime', String(d.dueAt)); } else { due.removeAttribute('datetime'); }
      table.hidden = false;
    }

    function renderStateList() {
      var list = $('state-list');
      if (!list) { return; }
      list.textContent = '';
      for (var i = 0; i < STATES.length; i++) {
        var dt = document.createElement('dt');
        dt.textContent = t('state.' + STATES[i]);
        var code = document.createElement('span');
        code.className = 'state-code';
        code.textContent = STATES[i];
        dt.appendChild(document.createTextNode(' '));
        dt.appendChild(code);
        var dd = document.createElement('dd');
        dd.textContent = t('state.' + STATES[i] + '.help');
        if (current && current.state === STATES[i]) {
          dt.className = 'current';
        }
        list.appendChild(dt);
        list.appendChild(dd);
      }
    }

    function load(ref) {
      if (busy) { return; }
      busy = true;
      setBusy(button, true);
      clearMessage();
      api('GET', requestPath(ref)).then(function (res) {
        busy = false;
        setBusy(button, false);
        if (res.ok && res.data) {
          current = res.data;
          render();
          return;
        }
        current = null;
        render();
        if (res.status === 404) {
          showMessage({ kind: 'error', key: 'status.notFound' });
        } else if (res.ok) {
          showMessage({ kind: 'error', key: 'error.generic' });
        } else {
          showMessage(errorMessage(res));
        }
      });
    }

    onLanguageChange(render);
    input.addEventListener('input', function () { clearFieldError('ref'); });

    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      clearFieldErrors();
      var ref = input.value.trim();
      if (!ref) {
        setFieldError('ref', { key: 'status.refRequired' });
        input.focus();
        return;
      }
      if (window.history && window.history.replaceState) {
        try { window.history.replaceState(null, '', statusHref(ref)); } catch (e) { /* ignore */ }
      }
      load(ref);
    });

    render();
    var initial = str(new URLSearchParams(window.location.search).get('ref'));
    if (initial) {
      input.value = initial;
      load(initial);
    }
  }

  // ---------------------------------------------------------------------------
  // Boot
  // ---------------------------------------------------------------------------
  function init() {
    lang = detectLanguage();

    var en = $('lang-en');
    var zh = $('lang-zh');
    if (en) { en.addEventListener('click', function () { setLanguage('en', true); }); }
    if (zh) { zh.addEventListener('click', function () { setLanguage('zh', true); }); }

    onLanguageChange(renderMessage);
    onLanguageChange(renderFieldErrors);

    var page = document.body.getAttribute('data-page');
    if (page === 'index') { initIndex(); }
    else if (page === 'verify') { initVerify(); }
    else if (page === 'status') { initStatus(); }

    applyTranslations();
    document.documentElement.classList.add('js-ready');
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
