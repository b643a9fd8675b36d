import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { projectRoot } from '../../src/paths.js';

/**
 * src/web/accessibility.js in a bare script context (its browser behaviour is covered by
 * test/e2e/a11y.test.ts): the Adaptive Cards host config and the read-aloud middleware's wiring.
 */

const SOURCE = readFileSync(join(projectRoot(), 'src', 'web', 'accessibility.js'), 'utf8');

interface HostConfig {
  fontSizes: Record<string, number>;
  lineHeights: Record<string, number>;
  containerStyles: Record<string, { backgroundColor: string; foregroundColors: Record<string, { default: string; subtle: string }> }>;
}

interface ReactLike {
  $$typeof: symbol;
  type: string;
  props: { className?: string; children?: ReactLike[] };
  ref: unknown;
}

type Render = (...args: unknown[]) => ReactLike | null;
type Middleware = () => (next: (...setup: unknown[]) => Render | false) => (...setup: unknown[]) => Render | false;

interface Api {
  hostConfig(scale: number): HostConfig;
  readAloud: Middleware | null;
}

function load(globals: Record<string, unknown>): Api {
  const context = createContext({ document: { addEventListener() {} }, addEventListener() {}, ...globals });
  context.window = context;
  runInContext(SOURCE, context);
  return context.AcademyAccessibility as Api;
}

const withSpeech = {
  speechSynthesis: { speak() {}, cancel() {}, getVoices: () => [] },
  SpeechSynthesisUtterance: class {
    constructor(readonly text: string) {}
  },
};

/** WCAG contrast ratio of two #RRGGBB colours. */
function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('web chat accessibility helpers (accessibility.js)', () => {
  it('sizes card text on the NHS type scale and scales it with the text size control', () => {
    const api = load(withSpeech);
    const normal = api.hostConfig(1);
    expect(normal.fontSizes).to.deep.equal({ small: 14, default: 16, medium: 19, large: 24, extraLarge: 32 });
    const large = api.hostConfig(1.5);
    expect(large.fontSizes.default).to.equal(24);
    expect(large.lineHeights.default).to.equal(36);
    expect(api.hostConfig(0.875).fontSizes.small).to.equal(12.3);
  });

  it('uses text colours with at least 4.5:1 contrast on every card background', () => {
    const config = load(withSpeech).hostConfig(1);
    for (const [name, style] of Object.entries(config.containerStyles)) {
      for (const [colour, fg] of Object.entries(style.foregroundColors)) {
        if (colour === 'light') continue; // white text, for dark images only
        for (const shade of [fg.default, fg.subtle]) {
          expect(contrast(shade, style.backgroundColor), `${colour} ${shade} on ${name} ${style.backgroundColor}`).to.be.at.least(4.5);
        }
      }
    }
  });

  it('offers no read-aloud middleware when the browser has no speech synthesis', () => {
    expect(load({}).readAloud).to.equal(null);
  });

  it('adds a read-aloud slot under bot messages that have speak, and leaves other messages alone', () => {
    const middleware = load(withSpeech).readAloud!;
    const marker = Symbol.for('react.element');
    const inner: ReactLike = { $$typeof: marker, type: 'section', props: {}, ref: null };
    const wrap = middleware()(() => () => inner);

    const bot = wrap({ activity: { type: 'message', from: { role: 'bot' }, speak: 'What the NHS App is.' } });
    expect(bot).to.be.a('function');
    const out = (bot as Render)();
    expect(out?.$$typeof).to.equal(marker);
    expect(out?.props.children?.[0]).to.equal(inner);
    expect(out?.props.children?.[1]?.props.className).to.equal('academy-read-aloud');
    expect(out?.props.children?.[1]?.ref).to.be.a('function');

    for (const activity of [
      { type: 'message', from: { role: 'user' }, speak: 'mine' },
      { type: 'message', from: { role: 'bot' } },
      { type: 'message', from: { role: 'bot' }, speak: '  ' },
      { type: 'typing', from: { role: 'bot' }, speak: 'x' },
    ]) {
      expect((wrap({ activity }) as Render)()).to.equal(inner);
    }
    expect(middleware()(() => false)({ activity: { type: 'message', speak: 'x' } })).to.equal(false);
  });
});
