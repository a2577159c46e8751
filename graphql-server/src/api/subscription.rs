//! What every subscription streams from: the notices of what was just recorded, which the store
//! announces once the state holds them, for writes made through this server or any other. Each notice is checked against the subscriber's token, so revoking a
//! token ends its streams with an error; so does falling so far behind that notices were
//! dropped. The subscriptions themselves are with their resources (decisions, tensions).

use super::context::{app, member, now, request};
use super::{ApiError, AppData, Code};
use crate::auth;
use async_graphql::Context;
use futures_util::Stream;
use governance_core::MemberId;
use governance_core::messages::Lang;
use tokio::sync::broadcast::error::RecvError;

pub use crate::store::Notice;

/// The notices a subscriber receives, resolved by `pick`, for as long as their token is live.
///
/// The stream ends with one error, rather than silently, when the subscriber can no longer be
/// served: its token was revoked or `member` left the movement (`UNAUTHENTICATED`, R17), the
/// database failed (`INTERNAL`), or it fell more than the
/// channel's capacity behind and notices were dropped (`NOTICES_MISSED`, with how many), so that
/// the client knows to catch up with `catchUp` instead of trusting a stream with holes.
fn notices<T, F>(
    a: AppData,
    rx: tokio::sync::broadcast::Receiver<Notice>,
    member: Option<MemberId>,
    token: Option<[u8; 32]>,
    lang: Lang,
    pick: F,
) -> impl Stream<Item = async_graphql::Result<T>> + use<T, F>
where
    T: Send + 'static,
    F: Fn(&governance_core::Movement, Notice) -> Option<T> + Send + Sync + 'static,
{
    futures_util::stream::unfold(Some((rx, a, pick)), move |live| async move {
        let (mut rx, a, pick) = live?;
        loop {
            let notice = match rx.recv().await {
                Ok(notice) => notice,
                Err(RecvError::Lagged(missed)) => {
                    let error =
                        ApiError::new(Code::NoticesMissed, lang).with("missed", missed as i64);
                    return Some((Err(error.into_gql()), None));
                }
                Err(RecvError::Closed) => return None,
            };
            let unauthenticated = || {
                let error = ApiError::new(Code::Unauthenticated, lang).with_message(match lang {
                    Lang::En => "this token is unknown, revoked, or its member has left",
                    Lang::Fr => {
                        "ce jeton est inconnu, révoqué, ou sa personne a quitté le mouvement"
                    }
                });
                Some((Err(error.into_gql()), None))
            };
            if let Some(t) = token {
                match auth::is_live(&a.store, &t).await {
                    Ok(true) => {}
                    Ok(false) => return unauthenticated(),
                    Err(e) => return Some((Err(ApiError::internal(&e, lang).into_gql()), None)),
                }
            }
            let picked = match a.store.read_resident(a.org).await {
                Ok(s) => {
                    if member.is_some_and(|m| !s.movement.is_member_at(m, now())) {
                        return unauthenticated();
                    }
                    pick(&s.movement, notice)
                }
                Err(e) => {
                    let error = ApiError::internal(&e, lang);
                    return Some((Err(error.into_gql()), None));
                }
            };
            if let Some(item) = picked {
                return Some((Ok(item), Some((rx, a, pick))));
            }
        }
    })
}

/// The caller's notices, resolved by `pick`: members only (R17).
pub(super) async fn for_caller<T, F>(
    ctx: &Context<'_>,
    pick: F,
) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<T>> + use<T, F>>
where
    T: Send + 'static,
    F: Fn(&governance_core::Movement, Notice) -> Option<T> + Send + Sync + 'static,
{
    let me = member(ctx)?;
    let r = request(ctx);
    // One token holds a bounded number of streams; the slot goes with the stream.
    let slot = match r.token_hash {
        Some(t) => Some(app(ctx).subscriptions.take(t).ok_or_else(|| {
            ApiError::new(Code::LimitExceeded, r.lang)
                .with_message(match r.lang {
                    Lang::En => "this token already holds as many subscriptions as allowed",
                    Lang::Fr => "ce jeton a déjà autant d'abonnements ouverts que permis",
                })
                .into_gql()
        })?),
        None => None,
    };
    let a = app(ctx).clone();
    let rx = a
        .store
        .subscribe(a.org)
        .await
        .map_err(|e| ApiError::store(e, r.lang).into_gql())?;
    use futures_util::StreamExt;
    Ok(
        notices(a, rx, Some(me), r.token_hash, r.lang, pick).map(move |item| {
            let _held = &slot;
            item
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Store, StoreConfig};
    use futures_util::StreamExt;
    use governance_core::DecisionId;
    use tokio::sync::broadcast;

    /// A subscriber that fell behind is told, once, how many notices it missed, and its stream
    /// then ends: it must catch up with `catchUp` rather than trust a stream with holes.
    #[tokio::test]
    async fn a_subscriber_that_falls_behind_is_told_what_it_missed_and_ends() {
        let path = std::env::temp_dir().join(format!("gouvernail-lag-{}.db", uuid::Uuid::now_v7()));
        let store = Store::open(&StoreConfig::new(format!(
            "sqlite://{}?mode=rwc",
            path.display()
        )))
        .await
        .expect("a store");
        let (sender, rx) = broadcast::channel(2);
        let a = AppData {
            store,
            org: governance_core::OrganizationId::from_u128(1),
            max_page: 100,
            subscriptions: crate::api::SubscriptionSlots::new(4),
            chain: Default::default(),
            base_url: "http://127.0.0.1:8080".into(),
        };
        let stream = notices(a, rx, None, None, Lang::Fr, |_, n| match n {
            Notice::Decision(id) => Some(id),
            Notice::Tension(_) => None,
        });
        for i in 0..5 {
            sender
                .send(Notice::Decision(DecisionId::from_u128(i)))
                .unwrap();
        }
        let items: Vec<_> = stream.collect().await;
        assert_eq!(items.len(), 1, "one error, then the end: {items:?}");
        let error = items[0].as_ref().unwrap_err();
        let ext = error.extensions.as_ref().unwrap();
        assert_eq!(
            ext.get("code"),
            Some(&async_graphql::Value::from("NOTICES_MISSED"))
        );
        assert_eq!(ext.get("missed"), Some(&async_graphql::Value::from(3)));
        assert!(error.message.contains("catchUp"), "{}", error.message);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
}
