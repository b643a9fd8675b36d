/**
 * The academy's syllabus: the 40 topic codes every lesson and answer carries, grouped into
 * topic areas (the courses). Copied from the shared syllabus; codes never change.
 */
export interface TopicArea {
  readonly code: string;
  readonly title: string;
  readonly description: string;
}

export interface Topic {
  readonly code: string;
  readonly area: string;
  readonly covers: string;
}

export const TOPIC_AREAS: readonly TopicArea[] = [
  { code: 'nhs-app', title: 'The NHS App', description: 'Use the NHS App for appointments, prescriptions, your record and more.' },
  { code: 'nhs-online', title: 'NHS services online', description: 'NHS 111 online, the NHS website, online and video consultations, health apps.' },
  { code: 'safety', title: 'Staying safe online', description: 'Passwords, two-step verification, scams and keeping devices safe.' },
  { code: 'data', title: 'Data and confidentiality', description: 'Confidentiality, data protection, sharing information safely and records.' },
  { code: 'work-tools', title: 'Work tools', description: 'Teams, email, files, staff systems and device basics.' },
  { code: 'info', title: 'Finding information', description: 'Searching well and accessibility features.' },
  { code: 'champion', title: 'Digital champion', description: 'Help others get online safely and show the difference you make.' },
  { code: 'wellbeing', title: 'Digital wellbeing', description: 'Screen breaks, notifications and online abuse.' },
  { code: 'academy', title: 'Using the academy', description: 'How this academy works and who sees your learning record.' },
];

export const TOPICS: readonly Topic[] = [
  { code: 'nhs-app.register', area: 'nhs-app', covers: 'getting the NHS App, creating an NHS login, proving identity (photo ID, face scan), who can use it, NHS number' },
  { code: 'nhs-app.gp-appointments', area: 'nhs-app', covers: 'booking, checking and cancelling GP appointments in the app' },
  { code: 'nhs-app.prescriptions', area: 'nhs-app', covers: 'ordering repeat prescriptions, choosing (nominating) a pharmacy, prescription ready notifications' },
  { code: 'nhs-app.health-record', area: 'nhs-app', covers: 'viewing the GP health record, test results, asking the practice for more of the record' },
  { code: 'nhs-app.messages', area: 'nhs-app', covers: 'notifications and messages from the GP practice and hospitals, turning notifications on' },
  { code: 'nhs-app.hospital-appointments', area: 'nhs-app', covers: 'viewing and managing hospital (elective care) appointments and waiting times' },
  { code: 'nhs-app.vaccinations', area: 'nhs-app', covers: 'booking vaccinations online, the vaccination record' },
  { code: 'nhs-app.proxy', area: 'nhs-app', covers: 'linked profiles and proxy access: acting for a child, an older relative or someone you care for' },
  { code: 'nhs-app.account', area: 'nhs-app', covers: 'account settings, login and face or fingerprint login problems, registering with or changing GP practice, organ donation and data sharing choices' },
  { code: 'nhs-online.111', area: 'nhs-online', covers: 'NHS 111 online, and when to use 111, 999, a pharmacy or the GP' },
  { code: 'nhs-online.website', area: 'nhs-online', covers: 'finding health information and local services on the NHS website' },
  { code: 'nhs-online.online-consultation', area: 'nhs-online', covers: 'online consultation forms for contacting a GP practice' },
  { code: 'nhs-online.video-consultation', area: 'nhs-online', covers: 'video consultations for patients and staff: preparing, checking sound and camera, privacy' },
  { code: 'nhs-online.remote-monitoring', area: 'nhs-online', covers: 'remote monitoring at home and virtual wards: readings such as oxygen levels and blood pressure sent through an app' },
  { code: 'nhs-online.health-apps', area: 'nhs-online', covers: 'choosing safe health apps and wearables, what an app does with your data' },
  { code: 'nhs-online.pre-assessment', area: 'nhs-online', covers: 'hospital pre-assessment checks and digital questionnaires completed from home' },
  { code: 'safety.passwords', area: 'safety', covers: 'strong passwords, three random words, password managers, not reusing passwords' },
  { code: 'safety.mfa', area: 'safety', covers: 'two-step verification and multi-factor authentication, authenticator apps, codes by text' },
  { code: 'safety.phishing', area: 'safety', covers: 'phishing emails, scam texts and calls (including fake NHS messages), how to report them' },
  { code: 'safety.devices', area: 'safety', covers: 'updates, screen locks, lost or stolen devices, public Wi-Fi, antivirus' },
  { code: 'safety.social-media', area: 'safety', covers: 'using social media safely and professionally as health and care staff' },
  { code: 'data.confidentiality', area: 'data', covers: 'patient and client confidentiality, the Caldicott principles, need to know' },
  { code: 'data.gdpr', area: 'data', covers: 'data protection law in plain words, personal data, data breaches and reporting them, subject access requests' },
  { code: 'data.sharing', area: 'data', covers: 'sharing information securely: secure email, encryption, what never to send, who to ask' },
  { code: 'data.dspt', area: 'data', covers: 'the Data Security and Protection Toolkit and the security basics that care providers are asked to meet' },
  { code: 'data.records', area: 'data', covers: 'electronic patient records and digital social care records: recording accurately and promptly, logging in with a smartcard or your own account, never sharing logins' },
  { code: 'work-tools.teams', area: 'work-tools', covers: 'Microsoft Teams: chats, channels, meetings, sound and camera problems, sharing a screen' },
  { code: 'work-tools.email', area: 'work-tools', covers: 'work email and calendars: writing, attachments, shared mailboxes, out-of-office replies' },
  { code: 'work-tools.files', area: 'work-tools', covers: 'saving, finding and sharing files in the cloud, version history, not keeping data on personal devices' },
  { code: 'work-tools.staff-systems', area: 'work-tools', covers: 'staff self-service systems: payslips, rotas and shift apps, online training accounts' },
  { code: 'work-tools.basics', area: 'work-tools', covers: 'device basics: touchscreens, mouse and keyboard, copy and paste, screenshots, keyboard shortcuts, connecting to Wi-Fi' },
  { code: 'info.searching', area: 'info', covers: 'searching well, trustworthy health information, spotting misinformation' },
  { code: 'info.accessibility', area: 'info', covers: 'accessibility features: text size, magnifier, screen readers, captions, dictation' },
  { code: 'champion.role', area: 'champion', covers: 'what a digital champion does, time and boundaries, where to get support' },
  { code: 'champion.helping', area: 'champion', covers: 'how to help someone learn: let them do it themselves, patience, plain words, common barriers' },
  { code: 'champion.inclusion', area: 'champion', covers: 'digital inclusion: free Wi-Fi, data and device schemes, community hubs, free learning sites' },
  { code: 'champion.safeguarding', area: 'champion', covers: 'safeguarding and consent when helping people online: never taking or keeping someone\'s password, proxy access instead of shared logins' },
  { code: 'champion.impact', area: 'champion', covers: 'recording help sessions and showing the difference digital champions make' },
  { code: 'wellbeing.digital', area: 'wellbeing', covers: 'digital wellbeing: screen breaks, switching off notifications, online abuse' },
  { code: 'academy.using', area: 'academy', covers: 'using this academy: starting and resuming lessons, progress, certificates, who can see your learning records' },
];

const byCode = new Map(TOPICS.map((t) => [t.code, t]));

export function topicByCode(code: string): Topic | undefined {
  return byCode.get(code);
}

export function areaByCode(code: string): TopicArea | undefined {
  return TOPIC_AREAS.find((a) => a.code === code);
}
