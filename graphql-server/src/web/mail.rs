//! Sending e-mail over SMTP (lettre), configured by `--smtp-url` (for example
//! `smtp://127.0.0.1:2525` or `smtps://user:password@mail.example:465`) and `--mail-from`.

use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// Why a message could not be built or sent.
#[derive(Debug, thiserror::Error)]
pub enum MailerError {
    #[error("the SMTP address is not usable: {0}")]
    Url(String),
    #[error("the address {0:?} cannot receive mail")]
    Address(String),
    #[error("the message could not be built: {0}")]
    Build(String),
    #[error("the SMTP server refused or could not be reached: {0}")]
    Send(String),
}

/// An SMTP connection pool and the sender's address.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    // The URL may carry a password: it is never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("from", &self.from).finish()
    }
}

impl Mailer {
    /// A mailer for an `smtp://` or `smtps://` URL, sending as `from`.
    pub fn new(url: &str, from: &str) -> Result<Self, MailerError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailerError::Url(e.to_string()))?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        let from = from
            .parse()
            .map_err(|_| MailerError::Address(from.to_owned()))?;
        Ok(Self { transport, from })
    }

    /// Sends a plain-text message.
    pub async fn send(&self, to: &str, subject: &str, body: String) -> Result<(), MailerError> {
        let to: Mailbox = to
            .parse()
            .map_err(|_| MailerError::Address(to.to_owned()))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| MailerError::Build(e.to_string()))?;
        self.transport
            .send(message)
            .await
            .map_err(|e| MailerError::Send(e.to_string()))?;
        Ok(())
    }
}
