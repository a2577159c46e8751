//! The sender: claims due messages under a lease, sends each (SMTP or an HTTP POST), and marks
//! it sent, or failed with its next attempt after a growing wait, or dead. A server that dies
//! mid-send leaves its claim to expire; another server (or itself, restarted) then sends the
//! message again, under the same key.

use super::queue;
use super::{Channel, OutboxConfig, OutboxError, Status, preferences, schedule, webhook};
use crate::store::Store;
use crate::store::entity::outbox;
use crate::web::Mailer;
use chrono::Utc;
use governance_core::{MemberId, OrganizationId};
use std::sync::Arc;
use std::time::Duration;

/// The outbox's background tasks on one server.
#[derive(Debug, Clone)]
pub struct Worker {
    pub store: Store,
    pub config: Arc<OutboxConfig>,
    /// `None`: this server sends no mail (it leaves mail to a server that has SMTP).
    pub mailer: Option<Mailer>,
    /// How often the sender looks for due messages.
    pub poll: Duration,
    /// How often the scheduler's round runs.
    pub schedule: Duration,
}

impl Worker {
    /// Starts the sender and the scheduler.
    pub fn spawn(self) {
        let sender = self.clone();
        tokio::spawn(async move {
            loop {
                match send_due(&sender.store, &sender.config, sender.mailer.as_ref()).await {
                    // A full batch: there may be more, go on at once.
                    Ok(n) if n >= BATCH as usize => continue,
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "outbox: sending failed"),
                }
                tokio::time::sleep(sender.poll).await;
            }
        });
        tokio::spawn(async move {
            loop {
                match schedule::run_round(&self.store, &self.config, Utc::now()).await {
                    Ok(n) if n > 0 => tracing::info!(queued = n, "outbox: scheduler round"),
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "outbox: scheduler round failed"),
                }
                tokio::time::sleep(self.schedule).await;
            }
        });
    }
}

/// How many messages one claim takes.
const BATCH: u64 = 16;

/// Claims and sends the messages due now. Returns how many were claimed.
pub async fn send_due(
    store: &Store,
    config: &OutboxConfig,
    mailer: Option<&Mailer>,
) -> Result<usize, OutboxError> {
    let db = store.connection();
    let mut channels = vec![Channel::Webhook];
    if mailer.is_some() {
        channels.push(Channel::Mail);
    }
    let claimed = queue::claim(db, config, &channels, BATCH, Utc::now()).await?;
    let n = claimed.len();
    for row in claimed {
        let result = match row.channel.as_str() {
            "mail" => match mailer {
                Some(m) => send_mail(store, config, m, &row).await,
                None => Err((String::from("no SMTP server on this server"), false)),
            },
            _ => send_hook(store, config, &row).await,
        };
        let now = Utc::now();
        match result {
            Ok(()) => queue::mark_sent(db, row.id, now).await?,
            Err((error, permanent)) => {
                let status = queue::mark_failed(db, config, &row, &error, permanent, now).await?;
                if status == Status::Dead {
                    tracing::warn!(key = %row.idempotency_key, %error, "outbox: message given up");
                } else {
                    tracing::info!(key = %row.idempotency_key, %error, attempts = row.attempts, "outbox: will retry");
                }
            }
        }
    }
    Ok(n)
}

async fn send_mail(
    store: &Store,
    config: &OutboxConfig,
    mailer: &Mailer,
    row: &outbox::Model,
) -> Result<(), (String, bool)> {
    let org = OrganizationId::from_uuid(row.organization_id);
    let db = store.connection();
    // The one-click link of the recipient, for the headers mail clients show as a button.
    let unsubscribe = match row.member_id {
        Some(member) => {
            let prefs = preferences::find(db, org, MemberId::from_uuid(member))
                .await
                .map_err(|e| (e.to_string(), false))?;
            let root = schedule::movement_root(db, org, config)
                .await
                .map_err(|e| (e.to_string(), false))?;
            prefs.map(|p| format!("{root}/desabonnement/{}", p.unsubscribe_key))
        }
        None => None,
    };
    mailer
        .send_keyed(
            &row.recipient,
            row.subject.as_deref().unwrap_or("Gouvernail"),
            row.body.clone(),
            Some(&row.idempotency_key),
            unsubscribe.as_deref(),
        )
        .await
        .map_err(|e| {
            let permanent = matches!(e, crate::web::MailerError::Address(_));
            (e.to_string(), permanent)
        })
}

async fn send_hook(
    store: &Store,
    config: &OutboxConfig,
    row: &outbox::Model,
) -> Result<(), (String, bool)> {
    let Some(hook) = row.webhook_id else {
        return Err(("a webhook delivery without its hook".into(), true));
    };
    let secret = webhook::secret_of(store.connection(), hook)
        .await
        .map_err(|e| (e.to_string(), false))?
        .ok_or_else(|| ("the webhook was disabled".to_owned(), true))?;
    webhook::deliver(
        config,
        &row.recipient,
        &secret,
        &row.idempotency_key,
        row.subject.as_deref().unwrap_or(""),
        &row.body,
    )
    .await
    .map_err(|f| (f.message, f.permanent))
}
