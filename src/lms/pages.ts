/** The LMS plugin's HTML: the cmi5 launch page (the chat in lesson mode, in a frame) and the error page. */
import { escapeHtml } from './xml.js';

export interface PageAssets {
  readonly cssHref: string;
  readonly scriptHref: string;
}

const head = (title: string, assets: PageAssets, script: boolean): string => `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – Digital Skills Academy</title>
<link rel="stylesheet" href="${assets.cssHref}">
${script ? `<script src="${assets.scriptHref}" defer></script>\n` : ''}</head>`;

/** A launch that cannot go ahead: what happened and what to do, never a stack trace. */
export function errorPage(assets: PageAssets, heading: string, message: string, field?: string): string {
  return `${head(heading, assets, false)}
<body>
<main class="lms-error" id="main">
  <h1>${escapeHtml(heading)}</h1>
  <p class="lms-error-message">${escapeHtml(message)}</p>
  ${field ? `<p class="lms-error-field">Problem with: <code>${escapeHtml(field)}</code></p>` : ''}
  <p>Go back to your course in your learning platform and open the lesson again. If this keeps happening, tell the person who runs your course, and quote the text above.</p>
</main>
</body>
</html>
`;
}

/** The cmi5 AU page: the lesson in the web chat, with "return to your course". */
export function launchPage(assets: PageAssets, options: { sessionId: string; title: string; chatSrc: string; returnUrl?: string; mode: string }): string {
  const review = options.mode !== 'Normal';
  return `${head(options.title, assets, true)}
<body class="lms-launch" data-session="${escapeHtml(options.sessionId)}" data-return="${escapeHtml(options.returnUrl ?? '')}" data-mode="${escapeHtml(options.mode)}">
<header class="lms-header">
  <p class="lms-title">${escapeHtml(options.title)}</p>
  <p id="lms-status" class="lms-status" role="status">${review ? `${escapeHtml(options.mode)} mode: your answers are not marked in your course.` : 'Work through the lesson in the chat below.'}</p>
  <button type="button" id="lms-exit" class="lms-button">${options.returnUrl ? 'Return to your course' : 'Finish'}</button>
</header>
<main class="lms-main">
  <iframe id="lms-chat" class="lms-chat" title="Lesson: ${escapeHtml(options.title)}" src="${escapeHtml(options.chatSrc)}"></iframe>
</main>
</body>
</html>
`;
}
