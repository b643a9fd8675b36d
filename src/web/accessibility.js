// Digital Skills Academy – accessibility helpers for the web chat page (served as /static/accessibility.js,
// loaded after Web Chat and before academy.js). Plain browser JavaScript, no build step, strict CSP.
// It exposes window.AcademyAccessibility with:
//   - hostConfig(scale): an Adaptive Cards host config in NHS colours whose font sizes follow the
//     page's text size control (Adaptive Cards size text in px, so the chat's font-size alone does not
//     reach them);
//   - readAloud: a Web Chat activity middleware that puts a "Read aloud" button under every bot message
//     that has a plain-text `speak` field, using the browser's speech synthesis (en-GB voice when there
//     is one); absent when the browser has no speech synthesis;
//   - followNewCards(root): after the learner presses a button on a card, moves keyboard focus to the
//     first button of the bot's next card, so a keyboard user does not have to find it.
// @ts-check

(() => {
  'use strict';

  // --- Adaptive Cards host config ---

  /** NHS type scale (px at 100%): 14 small print, 16 body, 19 lead, 24 and 32 headings. */
  const FONT_SIZES = { small: 14, default: 16, medium: 19, large: 24, extraLarge: 32 };
  const LINE_HEIGHTS = { small: 20, default: 24, medium: 28, large: 32, extraLarge: 40 };

  /** @param {Record<string, number>} sizes @param {number} scale */
  function scaled(sizes, scale) {
    /** @type {Record<string, number>} */
    const out = {};
    for (const [k, v] of Object.entries(sizes)) out[k] = Math.round(v * scale * 10) / 10;
    return out;
  }

  /** @param {string} color */
  const fg = (color, subtle = '#4C6272') => ({ default: color, subtle });

  /**
   * Adaptive Cards host config in NHS colours (every pair at least 4.5:1 on its background).
   * @param {number} scale 1 = 100% text size
   */
  function hostConfig(scale) {
    const fontSizes = scaled(FONT_SIZES, scale);
    const lineHeights = scaled(LINE_HEIGHTS, scale);
    const narrow = window.innerWidth <= 400;
    const dark = { default: fg('#212B32'), dark: fg('#212B32'), accent: fg('#005EB8', '#005EB8'), good: fg('#00662F', '#005A2B'), attention: fg('#B8211A', '#AA2016'), warning: fg('#8A5300', '#6E4200'), light: fg('#FFFFFF', '#FFFFFF') };
    return {
      supportsInteractivity: true,
      fontFamily: 'Arial, Helvetica, sans-serif',
      fontSizes,
      lineHeights,
      fontWeights: { lighter: 400, default: 400, bolder: 700 },
      fontTypes: {
        default: { fontFamily: 'Arial, Helvetica, sans-serif', fontSizes, fontWeights: { lighter: 400, default: 400, bolder: 700 } },
        monospace: { fontFamily: "'Courier New', Courier, monospace", fontSizes, fontWeights: { lighter: 400, default: 400, bolder: 700 } },
      },
      // A phone gets a little less padding, so a lesson card and its buttons fit the chat.
      spacing: { small: 4, default: 8, medium: 16, large: 24, extraLarge: 32, padding: narrow ? 10 : 16 },
      separator: { lineThickness: 1, lineColor: '#D8DDE0' },
      containerStyles: {
        default: { backgroundColor: '#FFFFFF', foregroundColors: dark },
        emphasis: { backgroundColor: '#F0F4F5', foregroundColors: dark },
        accent: { backgroundColor: '#E8EDEE', foregroundColors: dark },
        good: { backgroundColor: '#E5F2EB', foregroundColors: dark },
        attention: { backgroundColor: '#FBE9E8', foregroundColors: dark },
        warning: { backgroundColor: '#FFF9C4', foregroundColors: dark },
      },
      imageSizes: { small: 40, medium: 80, large: 160 },
      actions: {
        actionAlignment: 'stretch',
        actionsOrientation: 'vertical',
        buttonSpacing: narrow ? 6 : 8,
        maxActions: 100,
        showCard: { actionMode: 'inline', inlineTopMargin: 8 },
        spacing: 'default',
      },
      adaptiveCard: { allowCustomStyle: false },
      imageSet: { imageSize: 'medium', maxImageHeight: 100 },
      factSet: {
        title: { color: 'default', size: 'default', isSubtle: false, weight: 'bolder', wrap: true, maxWidth: 150 },
        value: { color: 'default', size: 'default', isSubtle: false, weight: 'default', wrap: true },
        spacing: 8,
      },
      textBlock: { headingLevel: 2 },
    };
  }

  // --- Read aloud ---

  /** @type {SpeechSynthesis | null} */
  const synth =
    typeof window.speechSynthesis === 'object' && window.speechSynthesis !== null && typeof window.SpeechSynthesisUtterance === 'function'
      ? window.speechSynthesis
      : null;

  const READ = 'Read aloud';
  const STOP = 'Stop reading';

  /** The button now reading, if any. @type {HTMLButtonElement | null} */
  let reading = null;

  /** @param {HTMLButtonElement} button @param {boolean} on */
  function showReading(button, on) {
    button.textContent = on ? STOP : READ;
    button.setAttribute('aria-pressed', String(on));
    button.classList.toggle('academy-read-aloud__button--reading', on);
  }

  function stopReading() {
    if (!synth) return;
    synth.cancel();
    if (reading) showReading(reading, false);
    reading = null;
  }

  /** An en-GB voice if the browser has one (a local one first), else any English voice. */
  function britishVoice() {
    if (!synth || typeof synth.getVoices !== 'function') return undefined;
    const voices = synth.getVoices() || [];
    const lang = (/** @type {SpeechSynthesisVoice} */ v) => String(v.lang || '').replace('_', '-').toLowerCase();
    return (
      voices.find((v) => lang(v) === 'en-gb' && v.localService) ||
      voices.find((v) => lang(v) === 'en-gb') ||
      voices.find((v) => lang(v).startsWith('en'))
    );
  }

  /** @param {HTMLButtonElement} button @param {string} text */
  function read(button, text) {
    if (!synth) return;
    const wasThis = reading === button;
    stopReading();
    if (wasThis) return;
    const utterance = new window.SpeechSynthesisUtterance(text);
    utterance.lang = 'en-GB';
    const voice = britishVoice();
    if (voice) utterance.voice = voice;
    const done = () => {
      if (reading === button) {
        showReading(button, false);
        reading = null;
      }
    };
    utterance.onend = done;
    utterance.onerror = done;
    reading = button;
    showReading(button, true);
    synth.speak(utterance);
  }

  /** Stable ref callbacks, one per activity, so React does not re-run them on every render. */
  const refs = new WeakMap();

  /**
   * A React ref callback that fills the (React-owned, otherwise empty) element with the read-aloud
   * button; React never renders children into it, so it is ours to manage.
   * @param {{ speak: string }} activity
   */
  function readAloudRef(activity) {
    let ref = refs.get(activity);
    if (!ref) {
      ref = (/** @type {HTMLElement | null} */ el) => {
        if (!el || el.querySelector('button')) return;
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'academy-read-aloud__button';
        showReading(button, false);
        button.addEventListener('click', () => read(button, activity.speak));
        el.appendChild(button);
      };
      refs.set(activity, ref);
    }
    return ref;
  }

  /**
   * A React element built without React: Web Chat bundles its own React and does not expose it, so
   * we copy the element marker ($$typeof) from an element Web Chat itself made.
   * @param {symbol | number} marker @param {string} type @param {Record<string, unknown>} props
   * @param {unknown} [ref] @param {unknown[]} [children]
   */
  function element(marker, type, props, ref = null, children) {
    return { $$typeof: marker, type, key: null, ref, props: children ? { ...props, children } : props, _owner: null };
  }

  /** @param {any} activity */
  function speakable(activity) {
    return (
      activity &&
      activity.type === 'message' &&
      !(activity.from && activity.from.role === 'user') &&
      typeof activity.speak === 'string' &&
      activity.speak.trim() !== ''
    );
  }

  /** Web Chat activity middleware: a "Read aloud" button under bot messages that have `speak`. */
  const readAloudMiddleware =
    () =>
    (/** @type {any} */ next) =>
    (/** @type {any[]} */ ...setup) => {
      const render = next(...setup);
      const activity = setup[0] && setup[0].activity;
      if (!render || !speakable(activity)) return render;
      return (/** @type {any[]} */ ...args) => {
        const inner = render(...args);
        if (!inner || typeof inner !== 'object' || !('$$typeof' in inner)) return inner;
        const marker = inner.$$typeof;
        return element(marker, 'div', { className: 'academy-activity' }, null, [
          inner,
          element(marker, 'div', { className: 'academy-read-aloud' }, readAloudRef(activity)),
        ]);
      };
    };

  // Stop speaking when the learner leaves or hides the page.
  if (synth) {
    window.addEventListener('pagehide', stopReading);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') stopReading();
    });
  }

  // --- Focus follows the conversation ---

  const ACTIVITY = 'article.webchat__basic-transcript__activity';
  const CARD_BUTTON = 'button.ac-pushButton:not([disabled]):not([aria-disabled="true"])';

  /**
   * After the learner presses a button on a card, moves focus to the bot's next card once it arrives
   * (its primary button, else its first), if focus is still in an older message (or was lost). Focus the learner has
   * moved elsewhere (the message box, the page's controls, a read-aloud button) is left alone, and
   * nothing moves on page load or while the learner types.
   * @param {HTMLElement} root the chat's host element
   */
  function followNewCards(root) {
    /** The card button the learner pressed last, until the bot's next card has taken focus. @type {Element | null} */
    let pressed = null;
    /** The newest message when the button was pressed: only a message after it can take focus. @type {Element | null} */
    let newestAtPress = null;
    let timer = 0;
    root.addEventListener(
      'click',
      (event) => {
        const target = /** @type {Element | null} */ (event.target instanceof Element ? event.target : null);
        const button = target && target.closest('.ac-pushButton');
        if (button) {
          pressed = button;
          const all = root.querySelectorAll(ACTIVITY);
          newestAtPress = all[all.length - 1] || null;
        }
      },
      true,
    );
    const check = () => {
      timer = 0;
      if (!pressed) return;
      const activities = root.querySelectorAll(ACTIVITY);
      const newest = activities[activities.length - 1];
      if (!newest || newest.contains(pressed) || newest === newestAtPress) return;
      // The card's primary action (an Adaptive Card action with style "positive") if it marks one, else its first.
      const button = /** @type {HTMLElement | null} */ (newest.querySelector(`${CARD_BUTTON}.style-positive`) || newest.querySelector(CARD_BUTTON));
      if (!button) return;
      const active = document.activeElement;
      const inOlderMessage = !!active && !newest.contains(active) && !!active.closest(ACTIVITY) && !active.closest('.academy-read-aloud');
      const lost = !active || active === document.body;
      pressed = null;
      if (inOlderMessage || lost) button.focus({ preventScroll: true });
    };
    // Several mutations arrive per message: act once the transcript has settled for a moment.
    const observer = new MutationObserver(() => {
      window.clearTimeout(timer);
      timer = window.setTimeout(check, 120);
    });
    observer.observe(root, { childList: true, subtree: true });
    return () => observer.disconnect();
  }

  /**
   * Shows each new bot message from its top: Web Chat scrolls to the bottom, which hides the heading
   * of a card taller than the chat ("Call 999 if…"). Once the transcript settles, the newest bot
   * message's top is put at the top of the chat, or the chat is scrolled to its end if that is less.
   * Also marks the page `chat-active` once the learner has sent or pressed something (the phone
   * layout then folds the intro away). Returns a function that stops it.
   * @param {HTMLElement} root
   */
  function showNewCardsFromTop(root) {
    /** @type {Element | null} */
    let shown = null;
    let shownAt = 0;
    let timer = 0;
    const align = () => {
      timer = 0;
      const activities = root.querySelectorAll(ACTIVITY);
      const newest = activities[activities.length - 1];
      // The same message again: only while it is still settling (Read aloud and images are
      // added after it, and Web Chat then scrolls to the bottom once more).
      if (!newest || (newest === shown && Date.now() - shownAt > 2000)) return;
      if (newest.querySelector('.webchat__stacked-layout--from-user, .webchat__bubble--from-user')) {
        active();
        return;
      }
      const scroller = /** @type {HTMLElement | null} */ (root.querySelector('.webchat__basic-transcript__scrollable'));
      if (!scroller) return;
      if (newest !== shown) shownAt = Date.now();
      shown = newest;
      const top = newest.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop - 8;
      scroller.scrollTop = Math.max(0, Math.min(top, scroller.scrollHeight - scroller.clientHeight));
    };
    const active = () => document.body.classList.add('chat-active');
    // On the document, not the chat's element: a restarted chat gets a new element.
    const onClick = (/** @type {Event} */ event) => {
      if (event.target instanceof Element && event.target.closest('#webchat button')) active();
    };
    const onKey = (/** @type {KeyboardEvent} */ event) => {
      if (event.key === 'Enter' && event.target instanceof HTMLTextAreaElement && event.target.closest('#webchat')) active();
    };
    document.addEventListener('click', onClick, true);
    document.addEventListener('keydown', onKey, true);
    const observer = new MutationObserver(() => {
      window.clearTimeout(timer);
      // After Web Chat's own scroll to the bottom has run.
      timer = window.setTimeout(align, 350);
    });
    observer.observe(root, { childList: true, subtree: true });
    return () => {
      observer.disconnect();
      document.removeEventListener('click', onClick, true);
      document.removeEventListener('keydown', onKey, true);
    };
  }

  /** @type {any} */ (window).AcademyAccessibility = Object.freeze({
    showNewCardsFromTop,
    hostConfig,
    readAloud: synth ? readAloudMiddleware : null,
    stopReading,
    followNewCards,
  });
})();
