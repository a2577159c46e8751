//! Subscriptions: members follow new decisions and new tensions as they are recorded. Each
//! notice is checked against the subscriber's token, so revoking a token ends its streams.

use super::types::{DecisionObject, TensionObject};
use super::{AppData, app, member, request};
use crate::auth;
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

/// The notices a subscriber receives, resolved by `pick`, for as long as their token is live.
fn notices<T, F>(a: AppData, token: Option<[u8; 32]>, pick: F) -> impl Stream<Item = T> + use<T, F>
where
    T: Send + 'static,
    F: Fn(&governance_core::Movement, Notice) -> Option<T> + Clone + Send + Sync + 'static,
{
    let rx = a.notices.subscribe();
    // A subscriber that lags behind the channel misses notices; it keeps receiving the next ones.
    BroadcastStream::new(rx)
        .filter_map(Result::ok)
        .then(move |notice| {
            let a = a.clone();
            let pick = pick.clone();
            async move {
                if let Some(t) = token
                    && !auth::is_live(&a.store, &t).await
                {
                    return Err(());
                }
                let s = a.store.read(a.org, None).await.map_err(|_| ())?;
                Ok(pick(&s.movement, notice))
            }
        })
        .take_while(Result::is_ok)
        .filter_map(|r| r.ok().flatten())
}

#[Subscription]
impl Subscription {
    /// Every decision recorded from now on.
    async fn decision_recorded(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl Stream<Item = DecisionObject> + use<>> {
        member(ctx)?;
        Ok(notices(
            app(ctx).clone(),
            request(ctx).token_hash,
            |m, n| match n {
                Notice::Decision(id) => m.decision(id).cloned().map(DecisionObject),
                Notice::Tension(_) => None,
            },
        ))
    }

    /// Every tension raised from now on.
    async fn tension_raised(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl Stream<Item = TensionObject> + use<>> {
        member(ctx)?;
        Ok(notices(
            app(ctx).clone(),
            request(ctx).token_hash,
            |m, n| match n {
                Notice::Tension(id) => m.tension(id).cloned().map(TensionObject),
                Notice::Decision(_) => None,
            },
        ))
    }
}
