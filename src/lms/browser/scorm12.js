// Digital Skills Academy – the SCORM 1.2 SCO script (sco/scorm12.js in each package).
// Finds the LMS's SCORM API (the standard search of parent frames, then the opener), runs the
// lesson from the academy in a frame, and reports it with cmi.core.lesson_status, score,
// session_time and suspend_data. Only the LMS's student id goes to the academy, where it is
// hashed; the learner's name never leaves the LMS.
// @ts-check
(() => {
  'use strict';
  const body = document.body;
  const academy = (body.dataset.academy || '').replace(/\/+$/, '');
  const lesson = body.dataset.lesson || '';
  // The lesson's launch data, signed by the academy that exported this package.
  const launch = body.dataset.launch || '';
  const status = /** @type {HTMLElement} */ (document.getElementById('sco-status'));
  const main = /** @type {HTMLElement} */ (document.getElementById('sco-main'));

  /** @param {any} win */
  function findAPI(win) {
    let tries = 0;
    while (win && !win.API && win.parent && win.parent !== win && tries < 7) {
      tries += 1;
      win = win.parent;
    }
    return win && win.API ? win.API : null;
  }
  function getAPI() {
    let api = null;
    try {
      api = findAPI(window);
      if (!api && window.opener) api = findAPI(window.opener);
    } catch {
      api = null;
    }
    return api;
  }

  /** The LMS's SCORM API once initialised. @type {any} */
  let api = null;

  /** Finds and initialises the LMS's API; false (with the reason shown) when it cannot. */
  function connect() {
    const found = getAPI();
    if (!found) {
      status.textContent = 'This lesson must be opened from your learning platform: it could not find the SCORM API.';
      return false;
    }
    if (String(found.LMSInitialize('')) !== 'true') {
      status.textContent = `Your learning platform could not start this lesson (SCORM error ${found.LMSGetLastError()}).`;
      return false;
    }
    api = found;
    return true;
  }

  /** @param {string} key */
  const get = (key) => {
    const v = api.LMSGetValue(key);
    return v === null || v === undefined ? '' : String(v);
  };
  /** @param {string} key @param {string | number} value */
  const set = (key, value) => api.LMSSetValue(key, String(value));

  let started = 0;
  let student = '';
  let entry = '';
  let mastery = Number.NaN;
  /** @type {{ lesson?: string, step?: number, steps?: number, done?: boolean }} */
  let place = {};
  let finished = false;
  let ended = false;
  let lastStep = -1;

  /** Reads what the LMS knows (student, entry, mastery, the saved place) and marks the lesson incomplete. */
  function readLms() {
    started = Date.now();
    student = get('cmi.core.student_id');
    entry = get('cmi.core.entry');
    mastery = Number.parseFloat(get('cmi.student_data.mastery_score') || body.dataset.mastery || '');
    try {
      place = JSON.parse(get('cmi.suspend_data') || '{}') || {};
    } catch {
      place = {};
    }
    const initialStatus = get('cmi.core.lesson_status');
    if (initialStatus === '' || initialStatus === 'not attempted') set('cmi.core.lesson_status', 'incomplete');
  }

  /** CMITimespan HHHH:MM:SS.SS */
  function sessionTime() {
    const total = Math.max(0, (Date.now() - started) / 1000);
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    return `${String(h).padStart(4, '0')}:${String(m).padStart(2, '0')}:${s.toFixed(2).padStart(5, '0')}`;
  }

  /** @param {string} exit */
  function end(exit) {
    if (ended) return;
    ended = true;
    set('cmi.core.session_time', sessionTime());
    set('cmi.core.exit', exit);
    api.LMSCommit('');
    api.LMSFinish('');
  }

  /** @param {any} view */
  function report(view) {
    if (view.step !== lastStep && view.steps > 0 && view.status === 'active') reportStep(view);
    if (view.status === 'finished' && !finished && view.outcome) reportFinished(view.outcome);
  }

  /** The learner moved on: their place is saved for a later resume. @param {any} view */
  function reportStep(view) {
    lastStep = view.step;
    place = { lesson, step: view.step, steps: view.steps };
    set('cmi.suspend_data', JSON.stringify(place));
    set('cmi.core.lesson_location', String(view.step));
    api.LMSCommit('');
    status.textContent = `Step ${Math.min(view.step + 1, view.steps)} of ${view.steps}.`;
  }

  /** The lesson is over: score, passed/failed/completed, and the session ends. @param {any} o the outcome */
  function reportFinished(o) {
    finished = true;
    const raw = Math.round(o.scaled * 100);
    let lessonStatus = 'completed';
    if (o.questions > 0) {
      set('cmi.core.score.min', 0);
      set('cmi.core.score.max', 100);
      set('cmi.core.score.raw', raw);
      lessonStatus = (Number.isFinite(mastery) ? raw >= mastery : o.passed) ? 'passed' : 'failed';
    }
    set('cmi.core.lesson_status', lessonStatus);
    set('cmi.suspend_data', JSON.stringify({ lesson, done: true }));
    end('');
    status.textContent = o.questions > 0 ? `Lesson finished: ${o.correct} of ${o.questions} right (${lessonStatus}). You can close this lesson.` : 'Lesson finished. You can close this lesson.';
  }

  /** @param {string} session */
  async function poll(session) {
    if (ended) return;
    try {
      const res = await fetch(`${academy}/lms/sessions/${encodeURIComponent(session)}`, { cache: 'no-store' });
      if (res.ok) report(await res.json());
    } catch {
      // the next poll tries again
    }
    if (!ended) window.setTimeout(() => poll(session), 1000);
  }

  async function start() {
    /** @type {any} */
    let data;
    try {
      const res = await fetch(`${academy}/lms/scorm/sessions`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain' },
        body: JSON.stringify({ lesson, launch, student, resume: entry === 'resume' ? place : undefined }),
        cache: 'no-store',
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      data = await res.json();
    } catch {
      status.textContent = 'The lesson could not reach the Digital Skills Academy. Check your connection, then open the lesson again.';
      return;
    }
    status.textContent = entry === 'resume' && place.step ? `Carrying on where you stopped (step ${place.step + 1}).` : 'Work through the lesson in the chat below.';
    const frame = document.createElement('iframe');
    frame.className = 'sco-chat';
    frame.title = `Lesson: ${data.title}`;
    frame.src = `${academy}${data.chatPath}`;
    main.replaceChildren(frame);
    poll(data.session);
  }

  if (connect()) {
    readLms();
    // Leaving before the end keeps the learner's place for next time.
    window.addEventListener('pagehide', () => end(finished ? '' : 'suspend'));
    window.addEventListener('beforeunload', () => end(finished ? '' : 'suspend'));
    start();
  }
})();
