//! The audit log and its hash chains: reading entries, walking the chains, the public head and
//! the movement's revision.

use super::context::{app, lang, member, state};
use super::{ApiError, ApiResult, Code};
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// An entry of the audit log.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "AuditEntry")]
pub struct AuditEntryObject {
    pub revision: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub subject: String,
    pub reason: Option<String>,
    pub hash: String,
}

/// The head of the audit chain: export it to check later that nothing was cut off.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "ChainHead")]
pub struct ChainHeadObject {
    pub revision: i64,
    pub hash: String,
}

/// The first broken link of a chain.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "BrokenLink")]
pub struct BrokenLinkObject {
    /// `audit` or `decisions`.
    pub chain: String,
    pub position: i64,
    /// `modified`, `missing`, `unlinked`, `truncated` or `diverged`.
    pub problem: String,
}

/// The result of walking both hash chains.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "Verification")]
pub struct VerificationObject {
    pub intact: bool,
    pub audit_entries: i64,
    pub decisions: i64,
    pub head: Option<ChainHeadObject>,
    pub first_break: Option<BrokenLinkObject>,
}

fn name_of<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Object(o)) => o
            .get("kind")
            .and_then(|k| k.as_str())
            .unwrap_or("")
            .to_owned(),
        _ => String::new(),
    }
}

/// Reads of the audit log and its chains.
#[derive(Debug, Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// The audit log, newest first: who did what, when and why, with each entry's hash.
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        before_revision: Option<i64>,
    ) -> ApiResult<Vec<AuditEntryObject>> {
        member(ctx)?;
        let a = app(ctx);
        let first = first.unwrap_or(50);
        if first < 0 || first as u64 > a.max_page {
            return Err(ApiError::new(Code::LimitExceeded, lang(ctx))
                .with("max", a.max_page as i64)
                .into());
        }
        let rows = a
            .store
            .audit_page(a.org, before_revision, first as u64)
            .await
            .map_err(|e| ApiError::internal(&e, lang(ctx)))?;
        Ok(rows
            .into_iter()
            .map(|r| AuditEntryObject {
                revision: r.revision,
                at: r.at,
                actor_id: r.actor.map(|m| m.as_uuid()),
                action: r.action,
                subject: r.subject,
                reason: r.reason,
                hash: r.hash,
            })
            .collect())
    }

    /// Walks both hash chains now and reports the first broken link, if any.
    async fn verify_chain(&self, ctx: &Context<'_>) -> ApiResult<VerificationObject> {
        member(ctx)?;
        let a = app(ctx);
        let v = a
            .store
            .verify(a.org, None)
            .await
            .map_err(|e| ApiError::store(e, lang(ctx)))?;
        Ok(VerificationObject {
            intact: v.is_intact(),
            audit_entries: v.audit_entries,
            decisions: v.decisions,
            head: v.head.map(|h| ChainHeadObject {
                revision: h.revision,
                hash: h.hash,
            }),
            first_break: v.first_break.map(|b| BrokenLinkObject {
                chain: name_of(&b.chain),
                position: b.position,
                problem: name_of(&b.problem),
            }),
        })
    }

    /// The head of the audit chain. Public: anyone may keep a copy to check the log later.
    async fn chain_head(&self, ctx: &Context<'_>) -> ApiResult<Option<ChainHeadObject>> {
        let s = state(ctx, None).await?;
        Ok(s.audit_head.clone().map(|hash| ChainHeadObject {
            revision: s.revision,
            hash,
        }))
    }

    /// The movement's current revision: every write returns the revision it created.
    async fn revision(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        member(ctx)?;
        Ok(state(ctx, None).await?.revision)
    }
}
