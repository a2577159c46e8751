//! Subscriptions: members follow new decisions and new tensions as they are recorded.

use super::types::{DecisionObject, TensionObject};
use super::{app, member};
use async_graphql::{Context, Subscription};
use futures_util::Stream;
use governance_core::{DecisionId, TensionId};
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

/// What was just recorded, broadcast to subscribers after the write committed.
#[derive(Debug, Clone, Copy)]
pub enum Notice {
    Decision(DecisionId),
    Tension(TensionId),
}

/// The root of subscriptions.
#[derive(Debug, Default)]
pub struct Subscription;

#[Subscription]
impl Subscription {
    /// Every decision recorded from now on.
    async fn decision_recorded(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl Stream<Item = DecisionObject> + use<>> {
        member(ctx)?;
        let a = app(ctx).clone();
        let rx = a.notices.subscribe();
        Ok(BroadcastStream::new(rx)
            .filter_map(|n| match n {
                Ok(Notice::Decision(id)) => Some(id),
                _ => None,
            })
            .then(move |id| {
                let a = a.clone();
                async move {
                    let s = a.store.read(a.org, None).await.ok()?;
                    s.movement.decision(id).cloned().map(DecisionObject)
                }
            })
            .filter_map(|d| d))
    }

    /// Every tension raised from now on.
    async fn tension_raised(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl Stream<Item = TensionObject> + use<>> {
        member(ctx)?;
        let a = app(ctx).clone();
        let rx = a.notices.subscribe();
        Ok(BroadcastStream::new(rx)
            .filter_map(|n| match n {
                Ok(Notice::Tension(id)) => Some(id),
                _ => None,
            })
            .then(move |id| {
                let a = a.clone();
                async move {
                    let s = a.store.read(a.org, None).await.ok()?;
                    s.movement.tension(id).cloned().map(TensionObject)
                }
            })
            .filter_map(|t| t))
    }
}
