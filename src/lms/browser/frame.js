// Digital Skills Academy – the cmi5 launch page's script (served as /lms/static/frame.js).
// The lesson runs in the chat frame; this page watches the session and takes the learner back
// to their course (returnURL), ending the session (`terminated`) on the way or when closed.
// @ts-check
(() => {
  'use strict';
  const body = document.body;
  const session = body.dataset.session || '';
  const returnUrl = body.dataset.return || '';
  const normal = body.dataset.mode === 'Normal';
  const status = /** @type {HTMLElement} */ (document.getElementById('lms-status'));
  const exit = /** @type {HTMLButtonElement} */ (document.getElementById('lms-exit'));
  const base = `/lms/sessions/${encodeURIComponent(session)}`;
  let ended = false;
  let timer = 0;

  async function poll() {
    try {
      const res = await fetch(base, { cache: 'no-store' });
      if (res.ok) {
        const view = await res.json();
        if (view.status === 'finished') {
          const o = view.outcome;
          status.textContent = o && o.questions > 0 && normal
            ? `You finished the lesson: ${o.correct} of ${o.questions} right${o.passed ? ' – passed.' : '.'} You can go back to your course now.`
            : 'You finished the lesson. You can go back to your course now.';
          exit.textContent = returnUrl ? 'Return to your course' : 'Finish';
        } else if (view.status === 'terminated') {
          ended = true;
        } else if (normal && view.steps > 0) {
          status.textContent = `Step ${Math.min(view.step + 1, view.steps)} of ${view.steps}.`;
        }
      }
    } catch {
      // the next poll tries again
    }
    if (!ended) timer = window.setTimeout(poll, 1000);
  }

  async function finish() {
    if (ended) return;
    ended = true;
    window.clearTimeout(timer);
    exit.disabled = true;
    status.textContent = 'Saving your progress…';
    try {
      await fetch(`${base}/terminate`, { method: 'POST', keepalive: true, cache: 'no-store' });
    } catch {
      // the LMS will see the session as abandoned
    }
    if (returnUrl) window.location.assign(returnUrl);
    else status.textContent = 'You can close this window now.';
  }

  exit.addEventListener('click', () => {
    finish();
  });
  // Closing the window or tab ends the session too.
  window.addEventListener('pagehide', () => {
    if (ended) return;
    ended = true;
    navigator.sendBeacon(`${base}/terminate`, '');
  });
  poll();
})();
