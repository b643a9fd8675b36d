import { DialogTurnStatus } from 'botbuilder-dialogs';
import type { Turn } from './academy.js';
import { helpCard } from './cards/menu.js';
import type { Input } from './input.js';
import { notUnderstood, showMenu } from './screens.js';

/**
 * The interrupt step, run first on every message, whatever is open:
 * 1. "This is not an emergency": the question held under a possible-emergency card comes
 *    back as free text, to be answered without the safety net (the rules still run).
 * 2. Safety first: every free-text message is triaged before anything else, in lessons too,
 *    except the typed label of an answer button on the check question showing now. An
 *    emergency or a possible emergency always wins: its reply and nothing else.
 * 3. help, menu and stop.
 * True when the message is dealt with.
 */
export async function interrupt(t: Turn): Promise<boolean> {
  if (t.input.kind === 'not-emergency') {
    t.notEmergency = true;
    if (t.pending === undefined) {
      await t.ctx.sendActivity('Please type your question again.');
      return true;
    }
    t.input = { kind: 'text', text: t.pending };
  }
  if (await triage(t)) return true;
  const step = INTERRUPTS[t.input.kind];
  if (!step) return false;
  await step(t);
  return true;
}

/** Triages free text (kept on the turn for the resolvers); true when it is an emergency or possible emergency, now answered. */
async function triage(t: Turn): Promise<boolean> {
  const { input } = t;
  if (input.kind !== 'text') return false;
  // the typed label of an answer button on the check showing now is the lesson's, not triaged
  if (await t.bot.lessons.acceptsText(t.dc, input.text)) return false;
  const assessed = t.bot.answers.assess(input.text, t.notEmergency);
  t.assessed = assessed;
  if (assessed.triage !== 'emergency' && assessed.triage !== 'possible-emergency') return false;
  await t.bot.answers.reply(t.ctx, assessed, t.flags);
  return true;
}

const INTERRUPTS: { readonly [K in Input['kind']]?: (t: Turn) => Promise<void> } = {
  help: (t) => t.reply.send(helpCard()),
  menu: async (t) => {
    await t.dc.cancelAllDialogs();
    await showMenu(t.reply, t.bot.deps.catalog, t.profile);
  },
  // The open lesson or self-check stops itself (a lesson keeps its place, the self-check shows
  // what it found); with nothing open, back to the menu.
  stop: async (t) => {
    const result = await t.dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await notUnderstood(t);
  },
};
