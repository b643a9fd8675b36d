import { lmsSessionOf } from '../src/lms/marker.js';
import { eraseConfirmCard, privacyCard } from './cards/privacy.js';
import { ERASED, type Turn } from './academy.js';
import { channelOf, learnerId, type Role } from './learner.js';

/** The learner's own data: what is kept (privacy), resume codes, and erasing it all. */

function roleName(role: Role | undefined): string | undefined {
  return role === 'nhs' ? 'NHS staff' : role === 'social-care' ? 'social care' : role === 'champion' ? 'digital champion' : undefined;
}

export async function showPrivacy(t: Turn): Promise<void> {
  const { deps } = t.bot;
  const id = learnerId(t.ctx);
  const summary = await deps.records.summary(id);
  await t.reply.send(
    privacyCard({
      learnerId: id,
      role: roleName(t.profile.role),
      lessonsStarted: Object.keys(t.profile.lessons).length,
      selfCheckDone: t.profile.selfCheckDone === true,
      ...summary,
      privacyUrl: deps.privacyUrl,
    }),
  );
}

/** "delete my data": asks first; the next message may confirm. */
export async function askToErase(t: Turn): Promise<void> {
  t.flags.confirmErase = true;
  await t.reply.send(eraseConfirmCard());
}

/** "Yes, delete my data": erases only right after the question, otherwise asks again. */
export async function confirmErase(t: Turn): Promise<void> {
  if (!t.confirming) return askToErase(t);
  return erase(t);
}

/** Voids the learner's statements and deletes their bot state, user and conversation. */
async function erase(t: Turn): Promise<void> {
  const { deps } = t.bot;
  const { ctx } = t;
  deps.resume?.revoke(learnerId(ctx));
  const voided = await deps.records.erase(learnerId(ctx));
  deps.qaStore.eraseLearner(learnerId(ctx));
  await deps.userState.delete(ctx);
  await deps.conversationState.delete(ctx);
  ctx.turnState.set(ERASED, true);
  await ctx.sendActivity(
    `Done. Your progress is erased and your ${voided} learning step${voided === 1 ? ' is' : 's are'} removed from the learning record. If you come back, you start afresh.`,
  );
}

/** "resume code" shows a new code (the old one stops working); "revoke resume code" stops it. Web learners only. */
export async function resumeCode(t: Turn, create: boolean): Promise<void> {
  const { ctx } = t;
  const id = learnerId(ctx);
  const resume = t.bot.deps.resume;
  if (!resume || channelOf(ctx.activity.channelId) !== 'webchat' || !id.startsWith('dl_') || lmsSessionOf(ctx.activity)) {
    await ctx.sendActivity('Resume codes are for the web chat. Here, your place is kept with your account.');
    return;
  }
  if (!create) {
    await ctx.sendActivity(resume.revoke(id) ? 'Done. Your resume code no longer works.' : 'You have no resume code. Type "resume code" to get one.');
    return;
  }
  const code = resume.create(id);
  await ctx.sendActivity(
    `Your resume code is ${code}\n\nTo carry on in another browser, open ${resume.url} there and type this code. Keep it private: anyone with it can see and delete your progress. Type "revoke resume code" to stop it working. Asking again gives a new code.`,
  );
}
