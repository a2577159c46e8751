//! What every resolver reaches through its context: the store and the movement, who is calling
//! and in which language, the server's clock, and `write`, which runs one write for the caller.

use super::error::RejectedInput;
use super::{ApiError, ApiResult, AppData, Caller, Code, RequestData, Transport};
use crate::store::{Fence, OrgState, StoreError};
use async_graphql::Context;
use governance_core::account::AccountReport;
use governance_core::messages::Lang;
use governance_core::tension::Tension;
use governance_core::{
    DecisionRecord, Domain, Escalation, Event, Instant, Mandate, Meeting, MemberId, Outcome,
};

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
        Caller::Outsider => Err(ApiError::new(Code::Unauthenticated, lang(ctx)).into()),
    }
}

/// The movement's state, at least as fresh as `min_revision`.
pub(crate) async fn state(
    ctx: &Context<'_>,
    min_revision: Option<i64>,
) -> ApiResult<tokio::sync::OwnedRwLockReadGuard<OrgState>> {
    let a = app(ctx);
    let fence = ctx.data_opt::<Fence>().cloned().unwrap_or_default();
    a.store
        .read_fenced(a.org, &fence, min_revision)
        .await
        .map_err(|e| ApiError::store(e, lang(ctx)).into())
}

/// The server's clock, to the microsecond.
pub(crate) fn now() -> Instant {
    crate::store::codec::micros(chrono::Utc::now())
}

pub(crate) fn parse_domain(ctx: &Context<'_>, raw: &str) -> ApiResult<Domain> {
    let _ = ctx;
    Domain::parse(raw).map_err(|e| ApiError::text(&e, "domain").into())
}

/// What a write hands back to its resolver: the revision it created and the record it
/// produced, as the store returned them (no second read of the state).
pub(crate) struct Written {
    pub revision: i64,
    outcome: Option<Outcome>,
}

impl Written {
    /// The record, or an internal error if the store handed back another kind (a bug).
    fn expect<T>(self, pick: impl FnOnce(Outcome) -> Option<T>, l: Lang) -> ApiResult<T> {
        self.outcome
            .and_then(pick)
            .ok_or_else(|| ApiError::internal(&"a write returned another record", l).into())
    }

    pub fn decision(self, l: Lang) -> ApiResult<DecisionRecord> {
        self.expect(
            |o| match o {
                Outcome::Decision(d) => Some(*d),
                _ => None,
            },
            l,
        )
    }

    pub fn mandate(self, l: Lang) -> ApiResult<Mandate> {
        self.expect(
            |o| match o {
                Outcome::Mandate(m) => Some(*m),
                _ => None,
            },
            l,
        )
    }

    pub fn tension(self, l: Lang) -> ApiResult<Tension> {
        self.expect(
            |o| match o {
                Outcome::Tension(t) => Some(*t),
                _ => None,
            },
            l,
        )
    }

    pub fn meeting(self, l: Lang) -> ApiResult<Meeting> {
        self.expect(
            |o| match o {
                Outcome::Meeting(m) => Some(*m),
                _ => None,
            },
            l,
        )
    }

    pub fn escalation(self, l: Lang) -> ApiResult<Escalation> {
        self.expect(
            |o| match o {
                Outcome::Escalation(e) => Some(*e),
                _ => None,
            },
            l,
        )
    }

    pub fn report(self, l: Lang) -> ApiResult<AccountReport> {
        self.expect(
            |o| match o {
                Outcome::Report(r) => Some(*r),
                _ => None,
            },
            l,
        )
    }
}

/// Runs one write for the calling member, one way: `build` translates the input into an event
/// under the store's lock (at the server's clock), the core judges it once, the store encodes
/// and commits it once, and the answer comes from what the store handed back. An input `build`
/// rejects comes back as it was; a refusal comes back worded by the state that refused it.
pub(crate) async fn write<F>(
    ctx: &Context<'_>,
    reason: Option<String>,
    build: F,
) -> ApiResult<Written>
where
    F: FnOnce(
            &governance_core::Movement,
            governance_core::Instant,
            MemberId,
        ) -> Result<Event, ApiError>
        + Send
        + 'static,
{
    let me = member(ctx)?;
    let a = app(ctx);
    let reason = reason.map(|r| r.chars().take(2_000).collect::<String>());
    let receipt = a
        .store
        .append_with(a.org, Some(me), reason, move |movement, at| {
            build(movement, at, me).map_err(|e| StoreError::Rejected(Box::new(RejectedInput(e))))
        })
        .await
        .map_err(|e| ApiError::store(e, lang(ctx)))?;
    Ok(Written {
        revision: receipt.revision,
        outcome: receipt.outcome,
    })
}
