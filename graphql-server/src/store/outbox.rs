//! The store's side of the outbox: how this server's store is set up to queue messages, and
//! the reads and writes the API makes on preferences, webhooks and the outbox's rows, each
//! write in one transaction.

use super::{Store, StoreError};
use crate::outbox::preferences::{self, Change, MailPreferences};
use crate::outbox::webhook::{self, Hook, NewHook, WebhookError};
use crate::outbox::{Channel, Delivery, OutboxConfig, Status};
use governance_core::{MemberId, OrganizationId};
use sea_orm::TransactionTrait;
use std::sync::Arc;
use uuid::Uuid;

/// Queues what an event causes, in the event's transaction (see `Store::write`).
pub(super) async fn enqueue<C: sea_orm::ConnectionTrait>(
    txn: &C,
    org: OrganizationId,
    movement: &governance_core::Movement,
    caused: crate::outbox::Caused,
    config: Option<Arc<OutboxConfig>>,
    hooks: &mut Option<Vec<crate::outbox::webhook::Hook>>,
) -> Result<(), StoreError> {
    crate::outbox::enqueue_caused(txn, org, movement, caused, config.as_deref(), hooks).await?;
    Ok(())
}

impl Store {
    /// The same store, queueing the messages events cause as `config` says.
    pub fn with_outbox(mut self, config: OutboxConfig) -> Self {
        self.outbox = Some(Arc::new(config));
        self
    }

    /// How the outbox words and sends messages on this server, if it was set up.
    pub fn outbox_config(&self) -> Option<&OutboxConfig> {
        self.outbox.as_deref()
    }

    /// A member's e-mail preferences, created with the defaults the first time.
    pub async fn mail_preferences(
        &self,
        org: OrganizationId,
        member: MemberId,
    ) -> Result<MailPreferences, StoreError> {
        Ok(preferences::ensure(self.connection(), org, member, chrono::Utc::now()).await?)
    }

    /// Changes a member's preferences (checked by the caller), in one transaction.
    pub async fn set_mail_preferences(
        &self,
        org: OrganizationId,
        member: MemberId,
        change: Change,
    ) -> Result<MailPreferences, StoreError> {
        let txn = self.begin_write().await?;
        let p = preferences::apply(&txn, org, member, change, chrono::Utc::now()).await?;
        txn.commit().await?;
        Ok(p)
    }

    /// Every webhook of a movement, disabled ones included.
    pub async fn webhooks(&self, org: OrganizationId) -> Result<Vec<Hook>, StoreError> {
        Ok(webhook::all(self.connection(), org).await?)
    }

    /// Registers a checked hook, in one transaction (its count checked inside it).
    pub async fn register_webhook(
        &self,
        org: OrganizationId,
        by: MemberId,
        hook: NewHook,
    ) -> Result<Result<(Hook, String), WebhookError>, StoreError> {
        let txn = self.connection().begin().await?;
        let done = webhook::register(&txn, org, by, hook, chrono::Utc::now()).await?;
        txn.commit().await?;
        Ok(done)
    }

    /// Disables a hook of the movement; `false` if it has no such active hook.
    pub async fn disable_webhook(&self, org: OrganizationId, id: Uuid) -> Result<bool, StoreError> {
        Ok(webhook::disable(self.connection(), org, id, chrono::Utc::now()).await?)
    }

    /// The outbox's rows of a movement, newest first.
    pub async fn outbox_messages(
        &self,
        org: OrganizationId,
        status: Option<Status>,
        channel: Option<Channel>,
        first: u64,
    ) -> Result<Vec<Delivery>, StoreError> {
        Ok(crate::outbox::deliveries(self.connection(), org, status, channel, first).await?)
    }
}
