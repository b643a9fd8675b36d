import { esc } from './html.js';
import { KEPT_PLACES } from '../privacy/places.js';

/** The learners' privacy page, /privacy: what is recorded and who can see it, in plain words. */
export function renderPrivacyPage(cssHref: string, minCohort: number): string {
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Privacy – Digital Skills Academy</title>
<link rel="stylesheet" href="${esc(cssHref)}">
</head>
<body>
<a class="nhsuk-skip-link" href="#maincontent">Skip to main content</a>
<div class="nhsuk-width-container">
<main class="nhsuk-main-wrapper" id="maincontent" role="main">
<h1 class="nhsuk-heading-l">Privacy: what we keep about your learning</h1>
<h2 class="nhsuk-heading-m">What we record</h2>
<ul class="nhsuk-list nhsuk-list--bullet">
<li>Each step of a lesson: when you start it, each card you see, your answers to the check questions, and when you finish or pass it.</li>
<li>How you reached us (Microsoft Teams, the web chat page or a learning system) and whether you said you work in the NHS, in social care or as a digital champion.</li>
<li>Your answers to the skills self-check.</li>
</ul>
<h2 class="nhsuk-heading-m">What we do not record</h2>
<p class="nhsuk-body">We never record your name, email address or phone number in your learning record. It is kept under a random id: in web chat the id your browser makes, in Teams your work account's internal id.</p>
<h2 class="nhsuk-heading-m">Who can see it</h2>
<ul class="nhsuk-list nhsuk-list--bullet">
<li>Academy admins, who sign in with their work account. They mostly see totals. Any total about fewer than ${minCohort} people is hidden and shown as “fewer than ${minCohort}”.</li>
<li>An admin can look up one learning record by its random id, for example to help you. Every page an admin opens, and every download, is written to a log that cannot be changed.</li>
<li>Nobody else. We do not sell or share your record.</li>
</ul>
<h2 class="nhsuk-heading-m">Every place we keep your words or your id, and who can see it</h2>
<table class="nhsuk-table">
<caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Where your words or id are kept, and who can see them</caption>
<thead class="nhsuk-table__head"><tr class="nhsuk-table__row"><th scope="col" class="nhsuk-table__header">What is kept</th><th scope="col" class="nhsuk-table__header">Who can see it</th></tr></thead>
<tbody class="nhsuk-table__body">
${KEPT_PLACES.map((p) => `<tr class="nhsuk-table__row"><td class="nhsuk-table__cell">${esc(p.what)}</td><td class="nhsuk-table__cell">${esc(p.who)}</td></tr>`).join('\n')}
</tbody>
</table>
<h2 class="nhsuk-heading-m">Your choices</h2>
<p class="nhsuk-body">In the chat, type “what do you keep about me” to see what we hold, or “delete my data” to remove your learning record. Once deleted, it no longer appears anywhere in the academy, including admin pages and totals.</p>
<p class="nhsuk-body"><a href="/">Back to the chat</a></p>
</main>
</div>
</body>
</html>
`;
}
