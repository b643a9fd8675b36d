/**
 * How a lesson-mode web page marks the activities of an LMS session: `channelData.lmsSession`,
 * the session's unguessable id. The bot reads it to record channel 'lms'; the LMS sessions read
 * it to learn which session a turn belongs to.
 */
export const LMS_SESSION_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

/** The LMS session id an activity is marked with, if any. */
export function lmsSessionOf(activity: { readonly channelData?: unknown }): string | undefined {
  const data = activity.channelData;
  if (typeof data !== 'object' || data === null || !('lmsSession' in data)) return undefined;
  const id = data.lmsSession;
  return typeof id === 'string' && LMS_SESSION_PATTERN.test(id) ? id : undefined;
}
