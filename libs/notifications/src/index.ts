// The notifications adapter's public surface: email content and rendering, Message-IDs, the SMTP mailer.
export type { EmailContent, EmailDecision, EmailDeadlineType, EmailItem, RenderedEmail } from './email-content.js';
export { formatDeadline, recommendationLink, renderEmail } from './render-email.js';
export { messageIdFor } from './message-id.js';
export { Mailer, SmtpDeliveryError, type MailerOptions, type OutgoingEmail, type SentEmail } from './mailer.js';
export { decisionHeading, shortTitle } from './decision-text.js';
export {
  accountLinkPath,
  renderAccountEmail,
  type AccountEmailContent,
  type AccountEmailPurpose,
} from './account-email.js';
