//! Decision records (R8–R12): their GraphQL objects, the queries that list and read them (the
//! little an outsider may read included, R17), recording one, catching up and marking read
//! (R11), and the subscription to new ones.

use super::context::{app, lang, member, now, parse_domain, state, write};
use super::inputs::{self, RecordDecisionInput, decision_draft};
use super::mandates::MandateObject;
use super::mirror::mirror_enum;
use super::organization::{MemberObject, UnitObject};
use super::subscription::{Notice, for_caller};
use super::{ApiError, ApiResult, Code};
use crate::store::search::WALK_BUDGET;
use crate::store::{DecisionCursor, DecisionFilter};
use async_graphql::connection::{Connection, CursorType, Edge, EmptyFields};
use async_graphql::{Context, Enum, Object, SimpleObject, Subscription};
use chrono::{DateTime, Utc};
use futures_util::Stream;
use governance_core::queries::Reader;
use governance_core::reading::{MarkRead, UnknownDecision};
use governance_core::{
    Decider, DecisionId, DecisionRecord, Effect, Event, Impact, LinkKind, Movement, Stance, UnitId,
    Visibility,
};
use uuid::Uuid;

mirror_enum!(
    /// What a consulted person said (R8).
    StanceGql as "Stance" from Stance { Support, Concern, Objection }
);

mirror_enum!(
    /// Who may read a decision record (R11, R17).
    VisibilityGql as "Visibility" from Visibility { Members, Published }
);

mirror_enum!(
    /// How a decision relates to an earlier one (R12).
    LinkKindGql as "LinkKind" from LinkKind { Amends, Supersedes, Revokes }
);

/// How far a decision reaches (R9).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum ImpactKind {
    ThisUnit,
    Units,
    MovementWide,
}

/// A consultation recorded with a decision (R8).
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "Consultation")]
pub struct ConsultationObject {
    pub member_id: Uuid,
    pub member_name: String,
    pub consulted_at: DateTime<Utc>,
    pub stance: StanceGql,
    pub said: String,
}

impl ConsultationObject {
    pub fn of(m: &Movement, c: &governance_core::Consultation) -> Self {
        Self {
            member_id: c.member.as_uuid(),
            member_name: m.member_name(c.member),
            consulted_at: c.consulted_at,
            stance: c.stance.into(),
            said: c.said.as_str().to_owned(),
        }
    }
}

/// A link from a decision to another.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "Link")]
pub struct LinkObject {
    pub kind: LinkKindGql,
    pub decision_id: Uuid,
    /// The linked decision's title, so that a reader sees what it is without another query.
    pub title: String,
}

/// A decision's title; links only ever point at recorded decisions (the core checks it).
fn title_of(movement: &governance_core::Movement, id: governance_core::DecisionId) -> String {
    movement
        .decision(id)
        .map(|d| d.title.to_string())
        .unwrap_or_default()
}

/// An effect a decision enacted, described in words.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "Effect")]
pub struct EffectObject {
    /// A stable name: `assign_mandate`, `revoke_mandate`, ...
    pub kind: String,
    /// The effect, as canonical JSON.
    pub detail: async_graphql::Json<serde_json::Value>,
}

/// A position in the list of decisions, written out only if the client asks for a cursor.
impl CursorType for DecisionCursor {
    type Error = &'static str;

    fn decode_cursor(s: &str) -> Result<Self, Self::Error> {
        Self::decode(s).ok_or("invalid cursor")
    }

    fn encode_cursor(&self) -> String {
        self.encode()
    }
}

/// A decision record (R8–R12).
#[derive(Debug, Clone)]
pub struct DecisionObject(pub DecisionRecord);

// Its fields are resolved one after the other (`serial`): each reads the movement in memory and
// is ready at once, so running them concurrently only cost a task, a waker and an allocation
// per field, fifty times over in a page of fifty records. The other records' objects (members,
// units, mandates, holders, tensions, reports, meetings, escalations) are resolved the same
// way, for the same reason: none of their fields waits on the database.
#[Object(name = "Decision", serial)]
impl DecisionObject {
    async fn id(&self) -> Uuid {
        self.0.id().as_uuid()
    }
    async fn title(&self) -> &str {
        self.0.title.as_str()
    }
    async fn statement(&self) -> &str {
        self.0.statement.as_str()
    }
    async fn rationale(&self) -> &str {
        self.0.rationale.as_str()
    }
    async fn domain(&self) -> &str {
        self.0.domain().as_str()
    }
    async fn unit_id(&self) -> Uuid {
        self.0.unit().as_uuid()
    }
    async fn unit_name(&self, ctx: &Context<'_>) -> ApiResult<String> {
        Ok(state(ctx, None).await?.movement.unit_name(self.0.unit()))
    }
    async fn decided_at(&self) -> DateTime<Utc> {
        self.0.decided_at()
    }
    async fn effective_from(&self) -> DateTime<Utc> {
        self.0.effective_from()
    }
    async fn effective_until(&self) -> Option<DateTime<Utc>> {
        self.0.effective_until
    }
    async fn visibility(&self) -> VisibilityGql {
        self.0.visibility.into()
    }
    /// Who shares responsibility for it: the holder, or every participant (R10).
    async fn decided_by(&self, ctx: &Context<'_>) -> ApiResult<Vec<String>> {
        let s = state(ctx, None).await?;
        Ok(self
            .0
            .responsible()
            .into_iter()
            .map(|m| s.movement.member_name(m))
            .collect())
    }
    /// Whether it was taken by a body in a meeting.
    async fn by_body(&self) -> bool {
        matches!(self.0.decider, Decider::Body { .. })
    }
    // ----- members only ----------------------------------------------------------------------
    async fn unit(&self, ctx: &Context<'_>) -> ApiResult<UnitObject> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        s.movement
            .unit(self.0.unit())
            .cloned()
            .map(UnitObject)
            .ok_or_else(|| ApiError::not_found("unit", lang(ctx)).into())
    }
    async fn participants(&self, ctx: &Context<'_>) -> ApiResult<Vec<MemberObject>> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        Ok(self
            .0
            .responsible()
            .into_iter()
            .filter_map(|m| s.movement.member(m))
            .cloned()
            .map(MemberObject)
            .collect())
    }
    async fn mandate(&self, ctx: &Context<'_>) -> ApiResult<Option<MandateObject>> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        Ok(self
            .0
            .authorized_by()
            .and_then(|m| s.movement.mandate(m))
            .cloned()
            .map(MandateObject))
    }
    async fn meeting_id(&self, ctx: &Context<'_>) -> ApiResult<Option<Uuid>> {
        member(ctx)?;
        Ok(match &self.0.decider {
            Decider::Body { meeting, .. } => meeting.map(|m| m.as_uuid()),
            Decider::Holder { .. } => None,
        })
    }
    async fn consultations(&self, ctx: &Context<'_>) -> ApiResult<Vec<ConsultationObject>> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        Ok(self
            .0
            .consultations
            .iter()
            .map(|c| ConsultationObject::of(&s.movement, c))
            .collect())
    }
    async fn impact(&self, ctx: &Context<'_>) -> ApiResult<ImpactKind> {
        member(ctx)?;
        Ok(match self.0.impact {
            Impact::ThisUnit => ImpactKind::ThisUnit,
            Impact::Units(_) => ImpactKind::Units,
            Impact::MovementWide => ImpactKind::MovementWide,
        })
    }
    async fn links(&self, ctx: &Context<'_>) -> ApiResult<Vec<LinkObject>> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        Ok(self
            .0
            .links
            .iter()
            .map(|l| LinkObject {
                kind: l.kind.into(),
                decision_id: l.target.as_uuid(),
                title: title_of(&s.movement, l.target),
            })
            .collect())
    }
    /// Later decisions that amend, supersede or revoke this one.
    async fn linked_from(&self, ctx: &Context<'_>) -> ApiResult<Vec<LinkObject>> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        Ok(s.movement
            .linked_from(self.0.id())
            .iter()
            .map(|(k, d)| LinkObject {
                kind: (*k).into(),
                decision_id: d.as_uuid(),
                title: title_of(&s.movement, *d),
            })
            .collect())
    }
    /// The decisions that replaced one another, oldest first, this one included (R12).
    async fn supersession_chain(&self, ctx: &Context<'_>) -> ApiResult<Vec<DecisionObject>> {
        member(ctx)?;
        let s = state(ctx, None).await?;
        Ok(s.movement
            .supersession_chain(self.0.id())
            .into_iter()
            .filter_map(|d| s.movement.decision(d))
            .cloned()
            .map(DecisionObject)
            .collect())
    }
    /// Whether it is in force at `at` (default: now): effective, not superseded nor revoked.
    async fn in_force(&self, ctx: &Context<'_>, at: Option<DateTime<Utc>>) -> ApiResult<bool> {
        member(ctx)?;
        let at = inputs::when(at)?;
        let s = state(ctx, None).await?;
        Ok(self.0.decided_at() <= at
            && self.0.is_effective_at(at)
            && s.movement.ended_by(self.0.id(), at).is_none())
    }
    async fn effects(&self, ctx: &Context<'_>) -> ApiResult<Vec<EffectObject>> {
        member(ctx)?;
        Ok(self
            .0
            .effects
            .iter()
            .map(|e: &Effect| EffectObject {
                kind: e.kind_name().to_owned(),
                detail: async_graphql::Json(crate::store::codec::effect_value(e)),
            })
            .collect())
    }
    async fn tension_id(&self, ctx: &Context<'_>) -> ApiResult<Option<Uuid>> {
        member(ctx)?;
        Ok(self.0.tension.map(|t| t.as_uuid()))
    }
}

/// A recorded decision and the revision it created.
#[derive(SimpleObject)]
pub struct DecisionResult {
    pub decision: DecisionObject,
    pub revision: i64,
}

/// Reads of decision records.
#[derive(Debug, Default)]
pub struct DecisionsQuery;

#[Object]
impl DecisionsQuery {
    /// Decision records, newest first, as a keyset-paginated connection. Outsiders see only the
    /// published ones (R17). `first` is at most 100. `text` keeps the records that match it as
    /// `search` reads it (every word, quoted phrases; at most 256 bytes and 8 words), in this
    /// list's order: use `search` to rank them by relevance.
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
    ) -> ApiResult<Connection<DecisionCursor, DecisionObject, EmptyFields, EmptyFields>> {
        let a = app(ctx);
        let first = first.unwrap_or(20);
        if first < 0 || first as u64 > a.max_page {
            return Err(ApiError::new(Code::LimitExceeded, lang(ctx))
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
        // Words are read (and bounded) before anything is looked up.
        let searched = match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => Some(super::search::parse_query(t, lang(ctx))?),
            None => None,
        };
        let s = state(ctx, at_least_revision).await?;
        // R17, as the core states it: the SQL page only lists what this reader may see.
        let reader = member(ctx).map_or(Reader::Outsider, Reader::Member);
        let at = now();
        let scope = s.movement.read_scope(reader, at);
        let domain = match domain {
            Some(d) => Some(parse_domain(ctx, &d)?.to_string()),
            None => None,
        };
        let filter = DecisionFilter {
            unit: unit_id.map(UnitId::from_uuid),
            domain,
            from: from.map(|d| inputs::sane("from", d)).transpose()?,
            until: until.map(|d| inputs::sane("until", d)).transpose()?,
            text,
            scope,
        };
        let page = match &searched {
            // Words are matched by the search index, in memory (ADR 0008), newest first.
            Some(query) => s.search.filter_page(query, &filter, first as usize, after),
            // The list's order is kept in memory too; only a page whose filters keep few
            // records goes to the database's indexes.
            None => match s
                .search
                .newest_page(&filter, first as usize, after, WALK_BUDGET)
            {
                Some(page) => page,
                None => a
                    .store
                    .decision_page(a.org, &filter, first as u64, after)
                    .await
                    .map_err(|e| ApiError::store(e, lang(ctx)))?,
            },
        };
        let mut conn = Connection::new(after.is_some(), page.has_next);
        // The page only proposes: who may read a record is the replayed log's answer (R17), so
        // a projection column changed behind the chain's back leaks nothing on the database's
        // path, and the index's own copy of the visibility is checked again here.
        for id in page.ids {
            let Some(d) = s.movement.decision(id.into()) else {
                continue;
            };
            if !s.movement.may_read(reader, d, at) {
                tracing::error!(decision = %id, "the projection disagrees with the log on who may read a decision");
                continue;
            }
            let cursor = DecisionCursor {
                decided_at: d.decided_at(),
                id,
            };
            conn.edges
                .push(Edge::new(cursor, DecisionObject(d.clone())));
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
            .decisions_in_force(unit_id.into(), &domain, inputs::when(at)?)
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
            return Err(ApiError::new(Code::LimitExceeded, lang(ctx))
                .with("max", a.max_page as i64)
                .into());
        }
        let read = a
            .store
            .reads_of(a.org, me)
            .await
            .map_err(|e| ApiError::internal(&e, lang(ctx)))?;
        let s = state(ctx, None).await?;
        // R11, as the core states it: what the caller has to catch up on, less what they read.
        Ok(s.movement
            .catch_up_on(me, latest(&s.movement))
            .filter(|d| !read.contains(&d.id()))
            .take(first as usize)
            .cloned()
            .map(DecisionObject)
            .collect())
    }
}

/// Writes of decisions, and of what the caller has read.
#[derive(Debug, Default)]
pub struct DecisionsMutation;

#[Object]
impl DecisionsMutation {
    /// Records a decision taken by the caller (R8–R12). The core validates it: authority at this
    /// instant, consultations, impact, participants, links and effects. On refusal, nothing is
    /// stored and the error says why and where the decision must go.
    async fn record_decision(
        &self,
        ctx: &Context<'_>,
        input: RecordDecisionInput,
    ) -> ApiResult<DecisionResult> {
        let l = lang(ctx);
        let id = DecisionId::from_uuid(Uuid::now_v7());
        let reason = input.reason.clone();
        let written = write(ctx, reason, move |movement, at, me| {
            Ok(Event::Decision(Box::new(decision_draft(
                input, movement, at, me, id, l,
            )?)))
        })
        .await?;
        let revision = written.revision;
        Ok(DecisionResult {
            decision: DecisionObject(written.decision(l)?),
            revision,
        })
    }

    /// Marks decisions as read by the caller (R11), in one transaction. Pass either the ids you
    /// showed (`decisionIds`), or the last decision you showed (`upTo`: it and every decision
    /// recorded before it, so that one recorded after your `catchUp` stays unread); with
    /// neither, every decision recorded so far. Returns how many decisions were newly marked.
    async fn mark_read(
        &self,
        ctx: &Context<'_>,
        decision_ids: Option<Vec<Uuid>>,
        up_to: Option<Uuid>,
    ) -> ApiResult<i32> {
        let me = member(ctx)?;
        let a = app(ctx);
        let now = now();
        let named: Vec<DecisionId>;
        let what = match (decision_ids, up_to) {
            (Some(_), Some(_)) => {
                return Err(ApiError::invalid(
                    "give either decisionIds or upTo, not both",
                    "indiquez soit decisionIds, soit upTo, pas les deux",
                )
                .with("field", "upTo")
                .into());
            }
            (Some(ids), None) => {
                if ids.len() > 1_000 {
                    return Err(ApiError::new(Code::LimitExceeded, lang(ctx))
                        .with("max", 1_000)
                        .into());
                }
                named = ids.into_iter().map(DecisionId::from_uuid).collect();
                MarkRead::These(&named)
            }
            (None, Some(last)) => MarkRead::UpTo(DecisionId::from_uuid(last)),
            (None, None) => MarkRead::Everything,
        };
        // R11, as the core states it: marking read never reaches beyond the caller's catch-up.
        let s = state(ctx, None).await?;
        let ids = s
            .movement
            .marked_read(me, latest(&s.movement), what)
            .map_err(|UnknownDecision(missing)| {
                ApiError::not_found(&format!("decision {missing}"), lang(ctx))
            })?;
        drop(s);
        let marked = a
            .store
            .mark_read(a.org, me, &ids, now)
            .await
            .map_err(|e| ApiError::internal(&e, lang(ctx)))?;
        Ok(marked as i32)
    }
}

/// New decision records, as they are recorded.
#[derive(Debug, Default)]
pub struct DecisionsSubscription;

#[Subscription]
impl DecisionsSubscription {
    /// Every decision recorded from now on.
    async fn decision_recorded(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<DecisionObject>> + use<>>
    {
        for_caller(ctx, |m, n| match n {
            Notice::Decision(id) => m.decision(id).cloned().map(DecisionObject),
            Notice::Tension(_) => None,
        })
        .await
    }
}

/// The instant a catch-up reaches: now, or the last recorded event if the clock stepped back
/// since (the store never dates an event before the last one), so nothing recorded stays hidden.
fn latest(movement: &governance_core::Movement) -> governance_core::Instant {
    let now = now();
    movement.last_event_at().map_or(now, |last| now.max(last))
}
