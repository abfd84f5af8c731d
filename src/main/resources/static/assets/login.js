// The sign-in page: says why the visitor is here again (a wrong password, a signed-out session).
(function () {
  'use strict';
  var box = document.querySelector('[data-login-message]');
  var q = new URLSearchParams(location.search);
  function say(kind, text) {
    var p = document.createElement('p');
    p.className = 'alert alert-' + kind;
    p.textContent = text;
    box.appendChild(p);
  }
  if (q.has('error')) { say('error', 'The user name or password is wrong.'); }
  if (q.has('out')) { say('info', 'You are signed out.'); }
  if (q.has('expired')) { say('info', 'Your session ended; sign in again.'); }
})();
