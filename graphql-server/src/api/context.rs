//! What every resolver reaches through its context: the store and the movement, who is calling
//! and in which language, the server's clock, and `write`, which runs one write for the caller.

use super::{ApiError, ApiResult, AppData, Caller, EdgeCode, RequestData, Transport};
use crate::store::{OrgState, Receipt, StoreError};
use async_graphql::Context;
use governance_core::messages::Lang;
use governance_core::{Domain, Event, Instant, MemberId};

pub(crate) fn app<'a>(ctx: &'a Context<'_>) -> &'a AppData {
    ctx.data_unchecked::<AppData>()
}

pub(crate) fn request(ctx: &Context<'_>) -> RequestData {
    ctx.data_opt::<RequestData>()
        .copied()
        .unwrap_or(RequestData {
            caller: Caller::Outsider,
            lang: Lang::En,
            transport: Transport::Http,
            token_hash: None,
        })
}

pub(crate) fn lang(ctx: &Context<'_>) -> Lang {
    request(ctx).lang
}

/// The calling member, or `UNAUTHENTICATED` (R17: outsiders see nothing internal).
pub(crate) fn member(ctx: &Context<'_>) -> ApiResult<MemberId> {
    match request(ctx).caller {
        Caller::Member(m) => Ok(m),
        Caller::Outsider => Err(ApiError::edge(EdgeCode::Unauthenticated, lang(ctx)).into()),
    }
}

/// The movement's state, at least as fresh as `min_revision`.
pub(crate) async fn state(
    ctx: &Context<'_>,
    min_revision: Option<i64>,
) -> ApiResult<tokio::sync::OwnedRwLockReadGuard<OrgState>> {
    let a = app(ctx);
    a.store
        .read(a.org, min_revision)
        .await
        .map_err(|e| ApiError::store(None, e, lang(ctx)).into())
}

/// The server's clock, to the microsecond.
pub(crate) fn now() -> Instant {
    crate::store::codec::micros(chrono::Utc::now())
}

pub(crate) fn parse_domain(ctx: &Context<'_>, raw: &str) -> ApiResult<Domain> {
    let _ = ctx;
    Domain::parse(raw).map_err(|e| ApiError::text(&e, "domain").into())
}

/// Runs one write for the calling member and maps a refusal to its typed error.
pub(crate) async fn write<F>(
    ctx: &Context<'_>,
    reason: Option<String>,
    build: F,
) -> ApiResult<Receipt>
where
    F: FnOnce(
        &governance_core::Movement,
        governance_core::Instant,
        MemberId,
    ) -> Result<Event, ApiError>,
{
    let me = member(ctx)?;
    let a = app(ctx);
    let reason = reason.map(|r| r.chars().take(2_000).collect::<String>());
    let mut input_error: Option<ApiError> = None;
    let result = a
        .store
        .append_with(a.org, Some(me), reason, |movement, at| {
            match build(movement, at, me) {
                Ok(e) => Ok(e),
                Err(e) => {
                    input_error = Some(e);
                    Err(StoreError::Refused(
                        governance_core::GovernanceError::Decision(
                            governance_core::DecisionError::NotFounded,
                        ),
                    ))
                }
            }
        })
        .await;
    if let Some(e) = input_error {
        return Err(e.into());
    }
    match result {
        Ok(r) => Ok(r),
        Err(StoreError::Refused(g)) => {
            let s = state(ctx, None).await?;
            Err(ApiError::governance(&s.movement, &g, lang(ctx)).into())
        }
        Err(e) => Err(ApiError::store(None, e, lang(ctx)).into()),
    }
}
