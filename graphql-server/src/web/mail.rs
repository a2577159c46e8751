//! Sending e-mail over SMTP (lettre), configured by `--smtp-url` (for example
//! `smtp://127.0.0.1:2525` or `smtps://user:password@mail.example:465`) and `--mail-from`.

use lettre::message::Mailbox;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
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
        self.send_keyed(to, subject, body, None, None).await
    }

    /// Sends a plain-text message from the outbox: its `Message-ID` is derived from the
    /// message's idempotency key, so that a copy sent again after a crash carries the same id
    /// and a mail system can drop it; with an unsubscribe link, the `List-Unsubscribe` headers
    /// of RFC 2369 and RFC 8058 (one click, by POST).
    pub async fn send_keyed(
        &self,
        to: &str,
        subject: &str,
        body: String,
        key: Option<&str>,
        unsubscribe: Option<&str>,
    ) -> Result<(), MailerError> {
        let to: Mailbox = to
            .parse()
            .map_err(|_| MailerError::Address(to.to_owned()))?;
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN);
        if let Some(key) = key {
            builder = builder.message_id(Some(message_id(key)));
        }
        if let Some(link) = unsubscribe {
            builder = builder
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe"),
                    format!("<{link}>"),
                ))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".to_owned(),
                ));
        }
        let message = builder
            .body(body)
            .map_err(|e| MailerError::Build(e.to_string()))?;
        self.transport
            .send(message)
            .await
            .map_err(|e| MailerError::Send(e.to_string()))?;
        Ok(())
    }
}

/// The `Message-ID` of the outbox message with `key`: the key's characters that an id may not
/// hold become dots, and the whole is bracketed as RFC 5322 writes it.
pub fn message_id(key: &str) -> String {
    let left: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '.'
            }
        })
        .collect();
    format!("<{left}@gouvernail>")
}
