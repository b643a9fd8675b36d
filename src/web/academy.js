// Digital Skills Academy – the web chat page's own script (served as /static/academy.js).
// Plain browser JavaScript, no build step; runs under a strict CSP (no inline handlers, no eval).
// @ts-check

(() => {
  'use strict';

  const SIZE_KEY = 'academy.textSize';
  const SIZES = [87.5, 100, 112.5, 125, 150, 175, 200];
  const DEFAULT_SIZE = 100;
  const POLLING_INTERVAL_MS = 500;
  // ConnectionStatus of botframework-directlinejs.
  const STATUS = { Uninitialized: 0, Connecting: 1, Online: 2, ExpiredToken: 3, FailedToConnect: 4, Ended: 5 };

  /** Bot Framework Web Chat's global, from /static/webchat.js (loaded before this script). @type {any} */
  const WebChat = /** @type {any} */ (window).WebChat;
  /** The page's accessibility helpers, from /static/accessibility.js (loaded before this script). @type {any} */
  const A11y = /** @type {any} */ (window).AcademyAccessibility || null;

  const script = /** @type {HTMLScriptElement | null} */ (document.currentScript);
  // The page's CSP allows Web Chat's <style> elements by this nonce.
  const nonce = (script && script.nonce) || undefined;

  /** @param {string} id */
  const byId = (id) => {
    const el = document.getElementById(id);
    if (!el) throw new Error(`#${id} is missing from the page`);
    return el;
  };

  const chat = byId('webchat');
  const statusLine = byId('chat-status');
  const errorBox = byId('chat-error');
  const errorText = byId('chat-error-text');
  const retryButton = byId('chat-retry');
  const smaller = byId('text-smaller');
  const larger = byId('text-larger');
  const sizeValue = byId('text-size-value');

  const storage = {
    /** @param {string} key */
    get(key) {
      try {
        return window.localStorage.getItem(key);
      } catch {
        return null;
      }
    },
    /** @param {string} key @param {string} value */
    set(key, value) {
      try {
        window.localStorage.setItem(key, value);
      } catch {
        // Storage blocked (private browsing, policy): keep it for this visit only.
      }
    },
  };

  // --- Text size: A- / A+ change Web Chat's base font size (it sizes its text relative to its container)
  // and the Adaptive Cards' font sizes (cards size text in px, so they get a scaled host config). ---

  /** Where Web Chat is rendered, and its props, once the chat has started. @type {HTMLElement | null} */
  let chatHost = null;
  /** @type {Record<string, unknown> | null} */
  let chatProps = null;

  /** The text size the learner chose last time on this browser, else 100%. */
  function savedSizeIndex() {
    const saved = SIZES.indexOf(Number(storage.get(SIZE_KEY)));
    return saved < 0 ? SIZES.indexOf(DEFAULT_SIZE) : saved;
  }

  let sizeIndex = savedSizeIndex();

  function applySize() {
    const size = SIZES[sizeIndex];
    chat.style.fontSize = `${size}%`;
    sizeValue.textContent = `${size}%`;
    // aria-disabled rather than disabled, so the button keeps focus at the end of the range.
    smaller.setAttribute('aria-disabled', String(sizeIndex === 0));
    larger.setAttribute('aria-disabled', String(sizeIndex === SIZES.length - 1));
    renderChat();
  }

  /** @param {number} step */
  function changeSize(step) {
    const next = Math.min(SIZES.length - 1, Math.max(0, sizeIndex + step));
    if (next === sizeIndex) return;
    sizeIndex = next;
    storage.set(SIZE_KEY, String(SIZES[sizeIndex]));
    applySize();
  }

  function setUpTextSize() {
    smaller.addEventListener('click', () => changeSize(-1));
    larger.addEventListener('click', () => changeSize(1));
    applySize();
  }

  // --- Who: the server knows the learner from its HttpOnly cookie (or an LMS launch token); this
  // script never chooses or sees a learner id. Web Chat takes its user from the Direct Line token. ---

  // --- Lesson mode: /?lesson=<id> starts the chat in that lesson. From an LMS it also has
  // &session=<LMS session>&launch=<sealed launch token>: the chat starts with the token, and the
  // server marks every activity with the session. ---

  /** The lesson, LMS session and launch token in the page's address, each only if well-formed. */
  function lessonFromUrl() {
    const params = new URLSearchParams(window.location.search);
    const lessonParam = params.get('lesson') || '';
    const lesson = /^[a-z0-9][a-z0-9.-]{0,80}$/.test(lessonParam) ? lessonParam : '';
    const sessionParam = params.get('session') || '';
    const lmsSession = lesson && /^[A-Za-z0-9_-]{16,64}$/.test(sessionParam) ? sessionParam : '';
    const launchParam = params.get('launch') || '';
    const launch = lmsSession && /^[A-Za-z0-9_-]{40,2048}$/.test(launchParam) ? launchParam : '';
    return { lesson, lmsSession, launch };
  }

  const { lesson, lmsSession, launch } = lessonFromUrl();

  /** Old pages kept a learner id in this browser; it is no longer used. */
  function forgetOldLearnerId() {
    try {
      window.localStorage.removeItem('academy.userId');
    } catch {
      // storage blocked
    }
  }

  /** A Web Chat store that starts the lesson once connected and marks activities with the LMS session. */
  function lessonStore() {
    let started = false;
    return WebChat.createStore({}, recoveryMiddleware(), (/** @type {any} */ { dispatch }) => (/** @type {any} */ next) => (/** @type {any} */ action) => {
      if (lmsSession && action.type === 'DIRECT_LINE/POST_ACTIVITY') {
        const activity = action.payload.activity;
        action = { ...action, payload: { ...action.payload, activity: { ...activity, channelData: { ...(activity.channelData || {}), lmsSession } } } };
      }
      const result = next(action);
      if (action.type === 'DIRECT_LINE/CONNECT_FULFILLED' && !started) {
        started = true;
        dispatch({ type: 'WEB_CHAT/SEND_POST_BACK', payload: { value: { academy: 'start', lesson } } });
      }
      return result;
    });
  }

  // --- Recovery: when the academy restarts, its conversations and tokens are gone. The page notices
  // (a 404/403/401 from the Direct Line, or a post that fails), says so in plain words and starts a new
  // conversation for the same learner, with no reload. A card button press that could not be sent is
  // sent again in the new conversation: the learner's place is kept by the bot, under their id. ---

  /** The button press (its Action.Submit value) that was being sent, until it is sent. @type {unknown} */
  let lastPressed = null;
  /** A button press to send once the new conversation is connected. @type {unknown} */
  let pendingPress = null;
  let recovering = false;
  /** Said once the new chat is online after a recovery (the status line is otherwise empty when online). */
  let onlineNotice = '';

  /** Web Chat store middleware: remembers button presses, recovers when one is rejected, re-sends it after. */
  function recoveryMiddleware() {
    return (/** @type {any} */ { dispatch }) => (/** @type {any} */ next) => (/** @type {any} */ action) => {
      if (action.type === 'DIRECT_LINE/POST_ACTIVITY') {
        const activity = action.payload && action.payload.activity;
        lastPressed = activity && activity.value && typeof activity.value === 'object' ? activity.value : null;
      }
      if (action.type === 'DIRECT_LINE/POST_ACTIVITY_REJECTED') {
        pendingPress = lastPressed;
        recover();
      }
      const result = next(action);
      if (action.type === 'DIRECT_LINE/CONNECT_FULFILLED' && pendingPress) {
        const value = pendingPress;
        pendingPress = null;
        dispatch({ type: 'WEB_CHAT/SEND_POST_BACK', payload: { value } });
      }
      return result;
    };
  }

  /** @param {number} ms */
  const wait = (ms) => new Promise((resolve) => window.setTimeout(resolve, ms));

  /** Starts a new conversation for the same learner after the old one died, retrying while the academy comes back. */
  async function recover() {
    if (recovering) return;
    recovering = true;
    stop();
    hideError();
    setStatus('The chat lost its connection to the academy (it may have restarted). Starting a new chat for you — your place in your lesson is kept…');
    try {
      for (let attempt = 0; attempt < 30; attempt++) {
        onlineNotice = 'A new chat has started. You carry on where you were.';
        if (await start()) return;
        onlineNotice = '';
        await wait(Math.min(5000, 500 * (attempt + 1)));
      }
      showError('Sorry, the chat could not reconnect. Check your internet connection, then try again.', 'Try again');
    } finally {
      recovering = false;
    }
  }

  // --- Status and errors ---

  /** @param {string} text */
  function setStatus(text) {
    statusLine.textContent = text;
  }

  /** @param {string} text @param {string} action */
  function showError(text, action) {
    setStatus('');
    errorText.textContent = text;
    retryButton.textContent = action;
    errorBox.hidden = false;
  }

  function hideError() {
    errorBox.hidden = true;
  }

  // --- The chat ---

  const styleOptions = {
    accent: '#005EB8',
    backgroundColor: '#F0F4F5',
    primaryFont: 'Arial, Helvetica, sans-serif',
    subtle: '#4C6272',
    timestampColor: '#4C6272',
    paddingRegular: 10,
    fontSizeSmall: '85%',
    rootHeight: '100%',
    rootWidth: '100%',
    bubbleMaxWidth: 640,
    bubbleBackground: '#FFFFFF',
    bubbleBorderColor: '#D8DDE0',
    bubbleBorderRadius: 8,
    bubbleBorderWidth: 1,
    bubbleTextColor: '#212B32',
    bubbleFromUserBackground: '#005EB8',
    bubbleFromUserBorderColor: '#005EB8',
    bubbleFromUserBorderRadius: 8,
    bubbleFromUserTextColor: '#FFFFFF',
    suggestedActionLayout: 'flow',
    suggestedActionHeight: 44,
    suggestedActionBackgroundColor: '#FFFFFF',
    suggestedActionBorderColor: '#005EB8',
    suggestedActionBorderRadius: 4,
    suggestedActionBorderWidth: 2,
    suggestedActionTextColor: '#005EB8',
    suggestedActionBackgroundColorOnHover: '#005EB8',
    suggestedActionTextColorOnHover: '#FFFFFF',
    sendBoxBackground: '#FFFFFF',
    sendBoxTextColor: '#212B32',
    sendBoxPlaceholderColor: '#4C6272',
    sendBoxButtonColor: '#005EB8',
    sendBoxButtonColorOnHover: '#003087',
    sendBoxBorderTop: 'solid 2px #D8DDE0',
    sendBoxHeight: 48,
    hideUploadButton: true,
    transcriptVisualKeyboardIndicatorColor: '#212B32',
    transcriptVisualKeyboardIndicatorWidth: 3,
    transcriptActivityVisualKeyboardIndicatorColor: '#212B32',
  };

  /** @type {any} */
  let directLine;
  let token = '';
  let domain = '';
  let conversationId = '';
  let refreshTimer = 0;
  let refreshAt = 0;
  let expiresAt = 0;
  let ending = false;

  /** @param {unknown} expiresIn seconds */
  function scheduleRefresh(expiresIn) {
    window.clearTimeout(refreshTimer);
    const life = Math.max(30, Number(expiresIn) || 1800);
    expiresAt = Date.now() + life * 1000;
    // Refresh at 80% of the token's life; the Direct Line client's own 15-minute refresh loop assumes 30 minutes.
    refreshAt = Date.now() + life * 800;
    refreshTimer = window.setTimeout(refreshToken, life * 800);
  }

  async function refreshToken() {
    if (!directLine || !token) return;
    try {
      const res = await fetch(`${domain}/tokens/refresh`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
        cache: 'no-store',
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const data = await res.json();
      if (typeof data.token !== 'string') throw new Error('no token');
      token = data.token;
      directLine.reconnect({ conversationId, token, streamUrl: data.streamUrl });
      scheduleRefresh(data.expires_in);
    } catch {
      // Try again shortly while the old token still works.
      if (Date.now() + 30000 < expiresAt) refreshTimer = window.setTimeout(refreshToken, 30000);
    }
  }

  /** Timers are slowed in background tabs: catch up when the learner comes back. */
  function refreshWhenVisible() {
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible' && directLine && Date.now() >= refreshAt) refreshToken();
    });
  }

  /** @param {number} status */
  function onConnectionStatus(status) {
    switch (status) {
      case STATUS.Connecting:
        setStatus('Connecting to the academy…');
        break;
      case STATUS.Online:
        setStatus(onlineNotice);
        break;
      case STATUS.ExpiredToken:
      case STATUS.FailedToConnect:
        // A dead token or conversation (403/401, or the academy restarted): a new chat, same learner.
        recover();
        break;
      case STATUS.Ended:
        // 404: the academy no longer knows this conversation.
        if (!ending) recover();
        break;
      default:
        break;
    }
  }

  function stop() {
    window.clearTimeout(refreshTimer);
    if (directLine) {
      ending = true;
      try {
        directLine.end();
      } catch {
        // already ended
      }
      ending = false;
      directLine = undefined;
    }
  }

  /** Starts a conversation; true once Web Chat is rendered on it. */
  async function start() {
    stop();
    hideError();
    setStatus('Connecting to the academy…');
    /** @type {any} */
    let data;
    try {
      const res = await fetch('/api/directline/token', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(launch ? { launch } : {}),
        credentials: 'same-origin',
        cache: 'no-store',
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      data = await res.json();
      if (typeof data.token !== 'string') throw new Error('no token');
    } catch {
      if (!recovering) showError('Sorry, the chat could not start. Check your internet connection, then try again.', 'Try again');
      return false;
    }
    token = data.token;
    conversationId = data.conversationId;
    domain = typeof data.domain === 'string' && data.domain ? data.domain : `${window.location.origin}/v3/directline`;

    directLine = WebChat.createDirectLine({ token, domain, webSocket: false, pollingInterval: POLLING_INTERVAL_MS });
    directLine.connectionStatus$.subscribe({ next: onConnectionStatus, error: () => undefined });
    scheduleRefresh(data.expires_in);

    // A fresh host element per conversation, so a restarted chat starts with an empty transcript.
    const host = document.createElement('div');
    host.className = 'webchat-host';
    chat.replaceChildren(host);
    chatHost = host;
    chatProps = {
      directLine,
      locale: 'en-GB',
      nonce,
      role: 'region',
      sendTypingIndicator: true,
      styleOptions,
      ...(A11y && A11y.readAloud ? { activityMiddleware: A11y.readAloud } : {}),
      store: lesson ? lessonStore() : WebChat.createStore({}, recoveryMiddleware()),
    };
    renderChat();
    return true;
  }

  /** Renders Web Chat, or re-renders it with the current text size (it keeps its state). */
  function renderChat() {
    if (!chatHost || !chatProps) return;
    const hostConfig = A11y ? { adaptiveCardsHostConfig: A11y.hostConfig(SIZES[sizeIndex] / 100) } : {};
    WebChat.renderWebChat({ ...chatProps, ...hostConfig }, chatHost);
  }

  /** The page's own controls: focus following the cards, the retry button, the skip link. */
  function wirePage() {
    if (A11y) A11y.followNewCards(chat);
    if (A11y && A11y.showNewCardsFromTop) A11y.showNewCardsFromTop(chat);

    retryButton.addEventListener('click', () => {
      if (!WebChat) window.location.reload();
      else start();
    });

    // "Skip to the chat" lands in the message box, not just the chat's edge.
    document.querySelectorAll('a.skip-link[href="#webchat"]').forEach((link) => {
      link.addEventListener('click', (event) => {
        const input = /** @type {HTMLElement | null} */ (chat.querySelector('[data-id="webchat-sendbox-input"], textarea, input[type="text"]'));
        if (input) {
          event.preventDefault();
          input.focus();
        }
      });
    });
  }

  setUpTextSize();
  forgetOldLearnerId();
  refreshWhenVisible();
  wirePage();
  if (!WebChat) showError('Sorry, the chat could not load.', 'Reload the page');
  else start();
})();
