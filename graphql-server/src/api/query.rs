//! Queries: what members read (everything internal, R11, R15), and the little an outsider may
//! (published decisions and the chain head, R17).

use super::meeting::{CadenceObject, EscalationObject};
use super::types::*;
use super::{ApiError, ApiResult, EdgeCode, app, lang, member, now, state};
use crate::store::{DecisionCursor, DecisionFilter};
use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use governance_core::queries::Reader;
use governance_core::{Domain, MemberId, UnitId};
use uuid::Uuid;

/// The root of reads.
#[derive(Debug, Default)]
pub struct Query;

pub(crate) fn parse_domain(ctx: &Context<'_>, raw: &str) -> ApiResult<Domain> {
    let _ = ctx;
    Domain::parse(raw).map_err(|e| ApiError::text(&e, "domain").into())
}

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

#[Object]
impl Query {
    /// The calling member.
    async fn me(&self, ctx: &Context<'_>) -> ApiResult<MemberObject> {
        let me = member(ctx)?;
        let s = state(ctx, None).await?;
        s.movement
            .member(me)
            .cloned()
            .map(MemberObject)
            .ok_or_else(|| ApiError::not_found("member", lang(ctx)).into())
    }

    /// The movement, its settings and their history (R19).
    async fn organization(&self, ctx: &Context<'_>) -> ApiResult<OrganizationObject> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        let m = &s.movement;
        Ok(OrganizationObject {
            id: m.organization().id.as_uuid(),
            name: m.organization().name.to_string(),
            settings: SettingsObject::of(m.settings_at(now())),
            settings_history: m
                .settings_history()
                .versions()
                .iter()
                .map(|v| SettingsVersionObject {
                    effective_at: v.effective_at,
                    adopted_by: v.adopted_by.as_uuid(),
                    settings: SettingsObject::of(&v.settings),
                })
                .collect(),
        })
    }

    /// The units, in tree order of creation; only those active at `activeAt` if given.
    async fn units(
        &self,
        ctx: &Context<'_>,
        active_at: Option<DateTime<Utc>>,
    ) -> ApiResult<Vec<UnitObject>> {
        let active_at = active_at
            .map(|d| super::inputs::sane("activeAt", d))
            .transpose()?;
        member(ctx)?;
        let s = state(ctx, None).await?;
        Ok(s.movement
            .units()
            .filter(|u| active_at.is_none_or(|at| u.is_active_at(at)))
            .cloned()
            .map(UnitObject)
            .collect())
    }

    async fn unit(&self, ctx: &Context<'_>, id: Uuid) -> ApiResult<UnitObject> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        s.movement
            .unit(id.into())
            .cloned()
            .map(UnitObject)
            .ok_or_else(|| ApiError::not_found("unit", lang(ctx)).into())
    }

    /// The members; only those who are members at `activeAt` if given.
    async fn members(
        &self,
        ctx: &Context<'_>,
        active_at: Option<DateTime<Utc>>,
    ) -> ApiResult<Vec<MemberObject>> {
        let active_at = active_at
            .map(|d| super::inputs::sane("activeAt", d))
            .transpose()?;
        member(ctx)?;
        let s = state(ctx, None).await?;
        Ok(s.movement
            .members()
            .filter(|m| active_at.is_none_or(|at| m.is_member_at(at)))
            .cloned()
            .map(MemberObject)
            .collect())
    }

    async fn member(&self, ctx: &Context<'_>, id: Uuid) -> ApiResult<MemberObject> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        s.movement
            .member(id.into())
            .cloned()
            .map(MemberObject)
            .ok_or_else(|| ApiError::not_found("member", lang(ctx)).into())
    }

    /// Mandates, filtered by unit, holder, and those in force at `activeAt`.
    async fn mandates(
        &self,
        ctx: &Context<'_>,
        unit_id: Option<Uuid>,
        holder_id: Option<Uuid>,
        active_at: Option<DateTime<Utc>>,
        at_least_revision: Option<i64>,
    ) -> ApiResult<Vec<MandateObject>> {
        member(ctx)?;
        let s = state(ctx, at_least_revision).await?;
        let mandates = s
            .movement
            .mandates()
            .iter()
            .filter(|m| unit_id.is_none_or(|u| m.unit.as_uuid() == u))
            .filter(|m| holder_id.is_none_or(|h| m.holder.as_uuid() == h));
        let active_at = active_at
            .map(|d| super::inputs::sane("activeAt", d))
            .transpose()?;
        Ok(in_force_at(mandates, active_at))
    }

    /// May this member decide on this domain of this unit at `at` (default: now)? (R3–R9)
    async fn may_decide(
        &self,
        ctx: &Context<'_>,
        member_id: Uuid,
        unit_id: Uuid,
        domain: String,
        at: Option<DateTime<Utc>>,
        at_least_revision: Option<i64>,
    ) -> ApiResult<Verdict> {
        member(ctx)?;
        let domain = parse_domain(ctx, &domain)?;
        let s = state(ctx, at_least_revision).await?;
        let v = s.movement.may_decide(
            MemberId::from_uuid(member_id),
            UnitId::from_uuid(unit_id),
            &domain,
            super::inputs::when(at)?,
        );
        Ok(verdict(&s.movement, &v, lang(ctx)))
    }

    /// Who may decide on this domain of this unit at `at` (default: now) (R15).
    async fn who_may_decide(
        &self,
        ctx: &Context<'_>,
        unit_id: Uuid,
        domain: String,
        at: Option<DateTime<Utc>>,
        at_least_revision: Option<i64>,
    ) -> ApiResult<Vec<HolderObject>> {
        member(ctx)?;
        let domain = parse_domain(ctx, &domain)?;
        let s = state(ctx, at_least_revision).await?;
        let at = super::inputs::when(at)?;
        let unit = s
            .movement
            .unit(unit_id.into())
            .filter(|u| u.is_active_at(at))
            .ok_or_else(|| ApiError::not_found("unit", lang(ctx)))?;
        if !unit.domains_at(at).contains(&domain) {
            let message = match lang(ctx) {
                governance_core::messages::Lang::Fr => {
                    format!("« {domain} » n'est pas un domaine de {}", unit.name)
                }
                governance_core::messages::Lang::En => {
                    format!("{domain} is not a domain of {}", unit.name)
                }
            };
            return Err(ApiError::validation(message).with("field", "domain").into());
        }
        Ok(s.movement
            .who_may_decide(unit_id.into(), &domain, at)
            .into_iter()
            .map(HolderObject)
            .collect())
    }

    /// Who may decide what, per unit and domain, at `at` (default: now), past dates included (R15).
    async fn authority_map(
        &self,
        ctx: &Context<'_>,
        at: Option<DateTime<Utc>>,
        at_least_revision: Option<i64>,
    ) -> ApiResult<Vec<AuthorityRowObject>> {
        member(ctx)?;
        let s = state(ctx, at_least_revision).await?;
        let map = s.movement.authority_map(super::inputs::when(at)?);
        Ok(map
            .rows
            .iter()
            .map(|r| AuthorityRowObject::of(&s.movement, r))
            .collect())
    }

    /// Decision records, newest first, as a keyset-paginated connection. Outsiders see only the
    /// published ones (R17). `first` is at most 100.
    #[allow(clippy::too_many_arguments)]
    async fn decisions(
        &self,
        ctx: &Context<'_>,
        unit_id: Option<Uuid>,
        domain: Option<String>,
        from: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
        text: Option<String>,
        first: Option<i32>,
        after: Option<String>,
        at_least_revision: Option<i64>,
    ) -> ApiResult<Connection<String, DecisionObject, EmptyFields, EmptyFields>> {
        let a = app(ctx);
        let first = first.unwrap_or(20);
        if first < 0 || first as u64 > a.max_page {
            return Err(ApiError::edge(EdgeCode::LimitExceeded, lang(ctx))
                .with_message(match lang(ctx) {
                    governance_core::messages::Lang::Fr => {
                        format!("`first` doit être entre 0 et {}", a.max_page)
                    }
                    governance_core::messages::Lang::En => {
                        format!("`first` must be between 0 and {}", a.max_page)
                    }
                })
                .with("max", a.max_page as i64)
                .into());
        }
        let after = match after {
            Some(c) => Some(DecisionCursor::decode(&c).ok_or_else(|| {
                ApiError::invalid("invalid cursor", "curseur invalide").with("field", "after")
            })?),
            None => None,
        };
        let published_only = member(ctx).is_err();
        let domain = match domain {
            Some(d) => Some(parse_domain(ctx, &d)?.to_string()),
            None => None,
        };
        let filter = DecisionFilter {
            unit: unit_id.map(UnitId::from_uuid),
            domain,
            from: from.map(|d| super::inputs::sane("from", d)).transpose()?,
            until: until.map(|d| super::inputs::sane("until", d)).transpose()?,
            text,
            published_only,
        };
        let s = state(ctx, at_least_revision).await?;
        let page = a
            .store
            .decision_page(a.org, &filter, first as u64, after)
            .await
            .map_err(|e| ApiError::store(None, e, lang(ctx)))?;
        let mut conn = Connection::new(after.is_some(), page.has_next);
        // The SQL page only proposes: who may read a record is the replayed log's answer
        // (R17), so a projection column changed behind the chain's back leaks nothing.
        let reader = member(ctx).map_or(Reader::Outsider, Reader::Member);
        let at = now();
        for id in page.ids {
            let Some(d) = s.movement.decision(id.into()) else {
                continue;
            };
            if !s.movement.may_read(reader, d, at) {
                tracing::error!(decision = %id, "the projection disagrees with the log on who may read a decision");
                continue;
            }
            {
                let cursor = DecisionCursor {
                    decided_at: d.decided_at(),
                    id,
                };
                conn.edges
                    .push(Edge::new(cursor.encode(), DecisionObject(d.clone())));
            }
        }
        Ok(conn)
    }

    /// One decision record; outsiders may read it only if it was published (R17).
    async fn decision(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        at_least_revision: Option<i64>,
    ) -> ApiResult<DecisionObject> {
        let s = state(ctx, at_least_revision).await?;
        // R17, as the core states it: members read every record, outsiders the published ones.
        let reader = member(ctx).map_or(Reader::Outsider, Reader::Member);
        let d = s
            .movement
            .decision(id.into())
            .filter(|d| s.movement.may_read(reader, d, now()));
        d.cloned()
            .map(DecisionObject)
            .ok_or_else(|| ApiError::not_found("decision", lang(ctx)).into())
    }

    /// The decisions in force on a unit and domain at `at` (default: now), following
    /// supersession (R12). Newest first.
    async fn decisions_in_force(
        &self,
        ctx: &Context<'_>,
        unit_id: Uuid,
        domain: String,
        at: Option<DateTime<Utc>>,
    ) -> ApiResult<Vec<DecisionObject>> {
        member(ctx)?;
        let domain = parse_domain(ctx, &domain)?;
        let s = state(ctx, None).await?;
        Ok(s.movement
            .decisions_in_force(unit_id.into(), &domain, super::inputs::when(at)?)
            .into_iter()
            .cloned()
            .map(DecisionObject)
            .collect())
    }

    /// What the caller has not read yet, oldest first, at most `first` (default and most: 100)
    /// at a time (R11). Mark them read with `markRead` to get the next ones.
    async fn catch_up(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
    ) -> ApiResult<Vec<DecisionObject>> {
        let me = member(ctx)?;
        let a = app(ctx);
        let first = first.unwrap_or(a.max_page as i32);
        if first < 0 || first as u64 > a.max_page {
            return Err(ApiError::edge(EdgeCode::LimitExceeded, lang(ctx))
                .with("max", a.max_page as i64)
                .into());
        }
        let read = a
            .store
            .reads_of(a.org, me)
            .await
            .map_err(|e| ApiError::internal(&e, lang(ctx)))?;
        let s = state(ctx, None).await?;
        let joined = s.movement.member(me).map(|m| m.joined_at);
        Ok(s.movement
            .decisions()
            .iter()
            .filter(|d| joined.is_none_or(|j| d.decided_at() >= j))
            .filter(|d| !read.contains(&d.id()))
            .take(first as usize)
            .cloned()
            .map(DecisionObject)
            .collect())
    }

    /// Tensions, most recent first (R13).
    async fn tensions(
        &self,
        ctx: &Context<'_>,
        status: Option<TensionStatusGql>,
    ) -> ApiResult<Vec<TensionObject>> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        let mut all: Vec<TensionObject> = s
            .movement
            .tensions()
            .iter()
            .cloned()
            .map(TensionObject)
            .collect();
        if let Some(want) = status {
            all.retain(|t| {
                let st = match t.0.status {
                    governance_core::tension::TensionStatus::Open => TensionStatusGql::Open,
                    governance_core::tension::TensionStatus::Scheduled { .. } => {
                        TensionStatusGql::Scheduled
                    }
                    governance_core::tension::TensionStatus::Processed { .. } => {
                        TensionStatusGql::Processed
                    }
                    governance_core::tension::TensionStatus::Withdrawn { .. } => {
                        TensionStatusGql::Withdrawn
                    }
                };
                st == want
            });
        }
        all.reverse();
        Ok(all)
    }

    /// Meetings, in the order scheduled.
    async fn meetings(&self, ctx: &Context<'_>) -> ApiResult<Vec<MeetingObject>> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        Ok(s.movement
            .meetings()
            .iter()
            .cloned()
            .map(MeetingObject)
            .collect())
    }

    /// One meeting.
    async fn meeting(&self, ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<MeetingObject>> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        Ok(s.movement
            .meeting(governance_core::MeetingId::from_uuid(id))
            .cloned()
            .map(MeetingObject))
    }

    /// The proposals escalated to a body that wait for its answer (R9): the Coordination's by
    /// default, or the Agora's. With `includeAnswered`, the answered ones too.
    async fn inbox(
        &self,
        ctx: &Context<'_>,
        unit_id: Option<Uuid>,
        #[graphql(default = false)] include_answered: bool,
    ) -> ApiResult<Vec<EscalationObject>> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        let m = &s.movement;
        let Some(body) = unit_id.map(Into::into).or(m.coordination()) else {
            return Ok(Vec::new());
        };
        let at = now();
        Ok(m.escalations()
            .iter()
            .filter(|e| e.body == body && (include_answered || e.is_open_at(at)))
            .cloned()
            .map(EscalationObject)
            .collect())
    }

    /// One escalated proposal.
    async fn escalation(&self, ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<EscalationObject>> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        Ok(s.movement
            .escalation(governance_core::EscalationId::from_uuid(id))
            .cloned()
            .map(EscalationObject))
    }

    /// When the Fonctionnement and Gouvernance meetings are due, now or at `at` (R2).
    async fn meeting_cadence(
        &self,
        ctx: &Context<'_>,
        at: Option<DateTime<Utc>>,
    ) -> ApiResult<Vec<CadenceObject>> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        Ok(s.movement
            .meeting_cadence(super::inputs::when(at)?)
            .iter()
            .map(CadenceObject::of)
            .collect())
    }

    /// The recurring meetings whose due date has passed without one taking place (R2).
    async fn overdue_meetings(&self, ctx: &Context<'_>) -> ApiResult<Vec<CadenceObject>> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        Ok(s.movement
            .meeting_cadence(now())
            .iter()
            .filter(|c| c.overdue)
            .map(CadenceObject::of)
            .collect())
    }

    /// Account reports rendered.
    async fn account_reports(&self, ctx: &Context<'_>) -> ApiResult<Vec<AccountReportObject>> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        Ok(s.movement
            .account_reports()
            .iter()
            .map(|r| AccountReportObject {
                id: r.id.as_uuid(),
                mandate_id: r.mandate.as_uuid(),
                author_name: s.movement.member_name(r.author),
                covers_from: r.covers.starts_at(),
                covers_until: r.covers.ends_at(),
                submitted_at: r.submitted_at,
                summary: r.summary.as_str().to_owned(),
            })
            .collect())
    }

    /// Account reports owed by `at` (default: now) and not rendered (R16).
    async fn missing_reports(
        &self,
        ctx: &Context<'_>,
        at: Option<DateTime<Utc>>,
    ) -> ApiResult<Vec<DueReportObject>> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        Ok(s.movement
            .missing_reports(super::inputs::when(at)?)
            .iter()
            .map(|d| DueReportObject::of(&s.movement, d))
            .collect())
    }

    /// Mandates ending within `withinDays` days after `at` (default: now).
    async fn expiring_mandates(
        &self,
        ctx: &Context<'_>,
        at: Option<DateTime<Utc>>,
        within_days: i32,
    ) -> ApiResult<Vec<MandateObject>> {
        member(ctx)?;
        if !(0..=3660).contains(&within_days) {
            return Err(ApiError::invalid(
                "`withinDays` must be between 0 and 3660",
                "`withinDays` doit être entre 0 et 3660",
            )
            .into());
        }
        let s = state(ctx, None).await?;
        Ok(s.movement
            .expiring_mandates(
                super::inputs::when(at)?,
                chrono::Duration::days(within_days as i64),
            )
            .into_iter()
            .cloned()
            .map(MandateObject)
            .collect())
    }

    /// How concentrated authority is at `at` (default: now) (R18).
    async fn power_distribution(
        &self,
        ctx: &Context<'_>,
        at: Option<DateTime<Utc>>,
    ) -> ApiResult<PowerDistributionObject> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        Ok(PowerDistributionObject::of(
            &s.movement,
            &s.movement.power_distribution(super::inputs::when(at)?),
        ))
    }

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
            return Err(ApiError::edge(EdgeCode::LimitExceeded, lang(ctx))
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
            .map_err(|e| ApiError::store(None, e, lang(ctx)))?;
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
