// Dispatch, stage 4: render one composed email and hand it to the pooled SMTP mailer.
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#config';
import { CALENDAR_ORGANIZER_NAME } from '#domain';
import { Mailer, renderEmail, type EmailContent } from '#notifications';

@Injectable()
export class SendStage {
  /** MAIL_FROM: every email's sender, and the domain of its Message-ID. */
  private readonly from: string;

  constructor(
    private readonly mailer: Mailer,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.from = config.env.MAIL_FROM;
  }

  /** Resolves once the SMTP server accepted the email; throws SmtpDeliveryError (or a rendering error) otherwise. */
  async send(content: EmailContent, messageId: string): Promise<void> {
    const rendered = renderEmail(content, { organizer: { email: this.from, name: CALENDAR_ORGANIZER_NAME } });
    await this.mailer.send({
      to: content.recipient.email,
      from: this.from,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      icalEvents: rendered.icalEvents,
      icalMethod: rendered.icalMethod,
      kind: content.kind,
      messageId,
    });
  }
}
