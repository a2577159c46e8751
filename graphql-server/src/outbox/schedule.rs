//! The scheduler's round: what time, not an event, causes. Reminders before a mandate ends (30
//! and 7 days), reports overdue, digests at each member's cadence, and the `mandate.expired`
//! webhook event. Every server may run rounds at once: each message's key is unique, so a round
//! that finds a message queued already adds nothing.

use super::caused::mandate_event;
use super::compose::{self, Links};
use super::preferences;
use super::queue::{self, NewMessage};
use super::{Channel, OutboxConfig, OutboxError, webhook};
use crate::store::Store;
use crate::store::entity::organizations;
use chrono::{DateTime, Duration, Utc};
use governance_core::queries::Reader;
use governance_core::{MandateStatus, MemberId, Movement, OrganizationId};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, TransactionTrait};

/// How far back an overdue report is still worth a reminder: older ones were reminded already,
/// or belong to a movement that just started using Gouvernail.
const OVERDUE_WINDOW_DAYS: i64 = 60;

/// The movement's pages, for the links in messages: `{base}/m/{slug}`, which reaches it on any
/// server whichever movement that server serves at its root.
pub(crate) async fn movement_root<C: ConnectionTrait>(
    db: &C,
    org: OrganizationId,
    config: &OutboxConfig,
) -> Result<String, DbErr> {
    let slug = organizations::Entity::find_by_id(org.as_uuid())
        .one(db)
        .await?
        .map(|o| o.slug)
        .unwrap_or_default();
    Ok(format!(
        "{}/m/{slug}",
        config.base_url.trim_end_matches('/')
    ))
}

/// One round over every movement, at `now`. Returns how many messages were queued.
pub async fn run_round(
    store: &Store,
    config: &OutboxConfig,
    now: DateTime<Utc>,
) -> Result<u64, OutboxError> {
    let mut queued = 0;
    for org in store.organizations().await? {
        queued += round_for(store, org.id, config, now).await?;
    }
    Ok(queued)
}

/// One movement's round, in one transaction.
async fn round_for(
    store: &Store,
    org: OrganizationId,
    config: &OutboxConfig,
    now: DateTime<Utc>,
) -> Result<u64, OutboxError> {
    let state = store.read(org, None).await?;
    let movement = &state.movement;
    let reads = if config.mail {
        digest_candidates(store, org, movement, now).await?
    } else {
        Vec::new()
    };
    let txn = store.connection().begin().await?;
    let mut messages = Vec::new();
    if config.mail {
        let root = movement_root(&txn, org, config).await?;
        messages.extend(mandate_reminders(&txn, org, movement, &root, now).await?);
        messages.extend(overdue_reports(&txn, org, movement, &root, now).await?);
        messages.extend(digests(&txn, org, movement, &root, reads, now).await?);
    }
    messages.extend(expired_mandates(&txn, org, movement, now).await?);
    // Due at once by the server's clock, whatever instant the round reasoned about.
    let queued = queue::enqueue(&txn, org, messages, Utc::now()).await?;
    txn.commit().await?;
    Ok(queued)
}

fn links(root: &str, p: &preferences::MailPreferences) -> Links {
    Links {
        root: root.to_owned(),
        unsubscribe_key: p.unsubscribe_key.clone(),
    }
}

fn mail(key: String, member: MemberId, to: &str, m: compose::Mail) -> NewMessage {
    NewMessage {
        key,
        channel: Channel::Mail,
        recipient: to.to_owned(),
        member: Some(member.as_uuid()),
        webhook: None,
        subject: Some(m.subject),
        body: m.body,
    }
}

/// To each holder whose mandate in force ends within 30 days: one reminder at 30 days, one at 7.
async fn mandate_reminders<C: ConnectionTrait>(
    db: &C,
    org: OrganizationId,
    movement: &Movement,
    root: &str,
    now: DateTime<Utc>,
) -> Result<Vec<NewMessage>, DbErr> {
    let mut out = Vec::new();
    let ending: Vec<_> = movement
        .mandates()
        .iter()
        .filter(|m| m.status_at(now) == MandateStatus::InForce)
        .filter(|m| m.effective_end() > now && m.effective_end() - now <= Duration::days(30))
        .collect();
    let holders: Vec<MemberId> = ending.iter().map(|m| m.holder).collect();
    let prefs = preferences::ensure_all(db, org, &holders, now).await?;
    for m in ending {
        let (Some(p), Some(person)) = (prefs.get(&m.holder), movement.member(m.holder)) else {
            continue;
        };
        if !p.reminders || !person.is_member_at(now) {
            continue;
        }
        let left = m.effective_end() - now;
        // The nearer step only: a server that starts 5 days before the end sends the 7-day one.
        let step = if left <= Duration::days(7) { 7 } else { 30 };
        let days = (left.num_hours() + 23) / 24;
        let links = links(root, p);
        out.push(mail(
            format!(
                "mail:mandate-ends:{}:{step}:{}",
                m.id,
                m.effective_end().timestamp_micros()
            ),
            m.holder,
            person.email.as_str(),
            compose::mandate_ends(movement, m, person.name.as_str(), days, &links),
        ));
    }
    Ok(out)
}

/// To the holder and to their unit's referents, for each report overdue in the last 60 days.
async fn overdue_reports<C: ConnectionTrait>(
    db: &C,
    org: OrganizationId,
    movement: &Movement,
    root: &str,
    now: DateTime<Utc>,
) -> Result<Vec<NewMessage>, DbErr> {
    let window = now - Duration::days(OVERDUE_WINDOW_DAYS);
    let mut out = Vec::new();
    for due in movement.missing_reports(now) {
        if due.covers.ends_at() < window || due.covers.ends_at() > now {
            continue;
        }
        let Some(mandate) = movement.mandate(due.mandate) else {
            continue;
        };
        let mut recipients = vec![(due.holder, true)];
        // The unit's referents; for a unit whose only referent is the holder, or that has
        // none, those of the unit above it, who facilitate it (R7).
        let mut unit = Some(mandate.unit);
        while let Some(u) = unit {
            for r in movement.referents(u, now) {
                if !recipients.iter().any(|(m, _)| *m == r.member) {
                    recipients.push((r.member, false));
                }
            }
            if recipients.len() > 1 {
                break;
            }
            unit = movement.unit(u).and_then(|u| u.parent);
        }
        let members: Vec<MemberId> = recipients.iter().map(|(m, _)| *m).collect();
        let prefs = preferences::ensure_all(db, org, &members, now).await?;
        for (member, to_holder) in recipients {
            let (Some(p), Some(person)) = (prefs.get(&member), movement.member(member)) else {
                continue;
            };
            if !p.reminders || !person.is_member_at(now) {
                continue;
            }
            let links = links(root, p);
            out.push(mail(
                format!(
                    "mail:report-overdue:{}:{}:{member}",
                    due.mandate,
                    due.covers.ends_at().timestamp_micros()
                ),
                member,
                person.email.as_str(),
                compose::report_overdue(
                    movement,
                    &due,
                    mandate,
                    person.name.as_str(),
                    to_holder,
                    &links,
                ),
            ));
        }
    }
    Ok(out)
}

/// The members whose digest is due, with what they have read (read outside the round's
/// transaction: the marks are not governance and may lag by a round).
async fn digest_candidates(
    store: &Store,
    org: OrganizationId,
    movement: &Movement,
    now: DateTime<Utc>,
) -> Result<
    Vec<(
        MemberId,
        std::collections::HashSet<governance_core::DecisionId>,
    )>,
    OutboxError,
> {
    // Read marks only for those whose digest is due: a round is one query for the others.
    let prefs = preferences::all(store.connection(), org).await?;
    let mut out = Vec::new();
    for m in movement.members().filter(|m| m.is_member_at(now)) {
        let due = prefs.get(&m.id).is_none_or(|p| p.digest_due(now).is_some());
        if due {
            out.push((m.id, store.reads_of(org, m.id).await?));
        }
    }
    Ok(out)
}

/// The digests due: for each member whose cadence has come round, the decisions recorded since
/// their last digest, in the units they follow, that they may read and have not read.
async fn digests<C: ConnectionTrait>(
    db: &C,
    org: OrganizationId,
    movement: &Movement,
    root: &str,
    candidates: Vec<(
        MemberId,
        std::collections::HashSet<governance_core::DecisionId>,
    )>,
    now: DateTime<Utc>,
) -> Result<Vec<NewMessage>, DbErr> {
    let members: Vec<MemberId> = candidates.iter().map(|(m, _)| *m).collect();
    let prefs = preferences::ensure_all(db, org, &members, now).await?;
    let mut out = Vec::new();
    for (member, read) in candidates {
        let (Some(p), Some(person)) = (prefs.get(&member), movement.member(member)) else {
            continue;
        };
        // Checked again inside the transaction: another round may have sent it meanwhile.
        let Some(since) = p.digest_due(now) else {
            continue;
        };
        let units = p.units(movement, member, now);
        let mut fresh: Vec<_> = movement
            .decisions()
            .iter()
            .filter(|d| d.decided_at() > since && d.decided_at() <= now)
            .filter(|d| units.contains(&d.unit()))
            .filter(|d| movement.may_read(Reader::Member(member), d, now))
            .filter(|d| !read.contains(&d.id()))
            .collect();
        fresh.sort_by_key(|d| std::cmp::Reverse(d.decided_at()));
        // A digest is a summary: the 50 newest, and the link to the rest.
        fresh.truncate(50);
        if !fresh.is_empty() {
            let links = links(root, p);
            out.push(mail(
                format!("mail:digest:{member}:{}", since.timestamp_micros()),
                member,
                person.email.as_str(),
                compose::digest(movement, person.name.as_str(), &fresh, since, &links),
            ));
        }
        preferences::digested(db, org, member, now).await?;
    }
    Ok(out)
}

/// `mandate.expired` for the hooks that want it: mandates whose term ran out in the last week
/// (a revoked mandate had its own event).
async fn expired_mandates<C: ConnectionTrait>(
    db: &C,
    org: OrganizationId,
    movement: &Movement,
    now: DateTime<Utc>,
) -> Result<Vec<NewMessage>, DbErr> {
    let hooks = webhook::active(db, org).await?;
    if hooks.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for m in movement.mandates() {
        let end = m.period.ends_at();
        if m.revocation.is_some_and(|r| r.at <= end) || m.committed_at.is_none() {
            continue;
        }
        if end > now || now - end > Duration::days(7) {
            continue;
        }
        let event = mandate_event("mandate.expired", movement, m, end);
        for hook in hooks.iter().filter(|h| h.wants(&event)) {
            out.push(hook.delivery(org, &event));
        }
    }
    Ok(out)
}
