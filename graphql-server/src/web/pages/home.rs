//! *Accueil*: what was decided since my last visit (R11), marked read when I say so; my
//! mandates, with "je m'engage" for one waiting for my commitment (R4); the account reports I
//! owe (R16); the next meetings of my units; my open tensions (R13).

use super::super::chrome::{self, Chrome, Nav};
use super::super::error::PageError;
use super::super::gql;
use super::super::time;
use super::super::visit::Visit;
use super::{CsrfForm, parse_id};
use askama::Template;
use axum::Form;
use axum::extract::{Path, RawQuery};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use governance_core::messages::ui;
use serde::Deserialize;
use serde_json::json;

/// How many unread decisions the page shows at once.
const CATCH_UP_PAGE: i64 = 20;

const HOME: &str = "query Home($first: Int!) {
  me { id name mandates { id unit { id name } domains role startsAt endsAt committedAt status } }
  catchUp(first: $first) { id title domain unitName decidedAt }
  missingReports { mandateId coversFrom coversUntil renderedBy }
  meetings { id kind unitId bodyId bodyName heldAt place status }
  tensions(status: OPEN) { id title raisedBy raisedAt status }
}";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct HomeData {
    me: Me,
    catch_up: Vec<Unread>,
    missing_reports: Vec<DueReport>,
    meetings: Vec<MeetingRow>,
    tensions: Vec<TensionRow>,
}

#[derive(Debug, Deserialize)]
struct Me {
    name: String,
    mandates: Vec<MandateRow>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct MandateRow {
    id: String,
    unit: UnitRef,
    domains: Option<Vec<String>>,
    role: String,
    ends_at: DateTime<Utc>,
    status: String,
}

#[derive(Debug, Deserialize)]
struct UnitRef {
    id: String,
    name: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Unread {
    id: String,
    title: String,
    domain: String,
    unit_name: String,
    decided_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct DueReport {
    mandate_id: String,
    covers_until: DateTime<Utc>,
    rendered_by: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct MeetingRow {
    id: String,
    kind: String,
    unit_id: Option<String>,
    body_id: Option<String>,
    body_name: Option<String>,
    held_at: DateTime<Utc>,
    place: Option<String>,
    status: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TensionRow {
    id: String,
    title: String,
    raised_by: String,
    raised_at: DateTime<Utc>,
}

/// A line of the page, already worded.
#[derive(Debug)]
struct Line {
    /// A path within the movement (`/decisions/{id}`): the template puts the root before it.
    href: String,
    title: String,
    meta: String,
}

#[derive(Debug)]
struct MandateLine {
    id: String,
    unit: String,
    scope: String,
    until: String,
    pending: bool,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    p: &'static ui::home::Home,
    name: String,
    unread_count: String,
    unread: Vec<Line>,
    /// The last decision shown: marking read stops there (a later one stays unread).
    last_shown: Option<String>,
    more: bool,
    mandates: Vec<MandateLine>,
    reports: Vec<Line>,
    meetings: Vec<Line>,
    tensions: Vec<Line>,
}

pub(in crate::web) async fn show(visit: Visit, RawQuery(query): RawQuery) -> Response {
    let p = ui::pick(visit.lang(), &ui::home::FR, &ui::home::EN);
    let page = render(&visit, flash_of(query.as_deref(), p)).await;
    visit.answer(page)
}

async fn render(visit: &Visit, flash: Option<&'static str>) -> Result<Response, PageError> {
    let me = visit.member()?;
    let lang = visit.lang();
    let tz = visit.tz();
    // One more than shown, to know whether more wait.
    let data: HomeData = gql::run(
        &visit.web,
        Some(me),
        lang,
        HOME,
        json!({ "first": CATCH_UP_PAGE + 1 }),
    )
    .await?;
    let p = ui::pick(lang, &ui::home::FR, &ui::home::EN);
    let now = Utc::now();
    let more = data.catch_up.len() as i64 > CATCH_UP_PAGE;
    let unread: Vec<Line> = data
        .catch_up
        .iter()
        .take(CATCH_UP_PAGE as usize)
        .map(|d| Line {
            href: format!("/decisions/{}", d.id),
            title: d.title.clone(),
            meta: format!(
                "{} · {} · {}",
                d.unit_name,
                d.domain,
                time::day(d.decided_at, tz, lang)
            ),
        })
        .collect();
    let last_shown = data.catch_up[..data.catch_up.len().min(CATCH_UP_PAGE as usize)]
        .last()
        .map(|d| d.id.clone());
    let live: Vec<&MandateRow> = data
        .me
        .mandates
        .iter()
        .filter(|m| {
            matches!(
                m.status.as_str(),
                "IN_FORCE" | "PENDING_COMMITMENT" | "NOT_STARTED"
            )
        })
        .collect();
    let my_units: Vec<&str> = live.iter().map(|m| m.unit.id.as_str()).collect();
    let my_mandates: Vec<&str> = data.me.mandates.iter().map(|m| m.id.as_str()).collect();
    let mandates = live
        .iter()
        .map(|m| MandateLine {
            id: m.id.clone(),
            unit: m.unit.name.clone(),
            scope: match &m.domains {
                Some(d) if !d.is_empty() => d.join(", "),
                _ => format!(
                    "{} ({})",
                    p.domains_all,
                    if m.role == "REFERENT" {
                        p.role_referent
                    } else {
                        p.role_holder
                    }
                ),
            },
            until: time::day(m.ends_at, tz, lang),
            pending: m.status == "PENDING_COMMITMENT",
        })
        .collect();
    let reports = data
        .missing_reports
        .iter()
        .filter(|r| r.rendered_by.is_none() && my_mandates.contains(&r.mandate_id.as_str()))
        .map(|r| Line {
            href: "/".into(),
            title: data
                .me
                .mandates
                .iter()
                .find(|m| m.id == r.mandate_id)
                .map(|m| m.unit.name.clone())
                .unwrap_or_default(),
            meta: format!("{} {}", p.report_due, time::day(r.covers_until, tz, lang)),
        })
        .collect();
    let meetings = data
        .meetings
        .iter()
        // Upcoming, or taking place right now (a meeting in session started before now).
        .filter(|m| {
            m.status == "IN_SESSION"
                || (m.held_at >= now && !matches!(m.status.as_str(), "HELD" | "CLOSED" | "LEGACY"))
        })
        .filter(|m| {
            m.kind == "agora"
                || [&m.unit_id, &m.body_id]
                    .into_iter()
                    .flatten()
                    .any(|u| my_units.contains(&u.as_str()))
        })
        .take(5)
        .map(|m| Line {
            href: format!("/reunions/{}", m.id),
            title: m.body_name.clone().unwrap_or_else(|| m.kind.clone()),
            meta: match &m.place {
                Some(place) => format!("{} · {place}", time::day_time(m.held_at, tz, lang)),
                None => time::day_time(m.held_at, tz, lang),
            },
        })
        .collect();
    let tensions = data
        .tensions
        .iter()
        .filter(|t| t.raised_by == data.me.name)
        .map(|t| Line {
            href: format!("/tensions/{}", t.id),
            title: t.title.clone(),
            meta: time::day(t.raised_at, tz, lang),
        })
        .collect();
    let mut chrome = visit.frame(Nav::Home);
    chrome.flash = flash.map(str::to_owned);
    let page = HomePage {
        unread_count: if more {
            format!(
                "{} {}",
                p.more_than,
                ui::count(lang, unread.len(), p.decision_one, p.decision_many)
            )
        } else {
            ui::count(lang, unread.len(), p.decision_one, p.decision_many)
        },
        chrome,
        p,
        name: data.me.name.clone(),
        unread,
        last_shown,
        more,
        mandates,
        reports,
        meetings,
        tensions,
    };
    Ok(chrome::html(StatusCode::OK, &page))
}

#[derive(Debug, Deserialize)]
pub(in crate::web) struct MarkReadForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    up_to: String,
}

/// "Marquer comme lu": marks the decisions shown, up to the last one shown, so that one
/// recorded meanwhile stays unread (R11).
pub(in crate::web) async fn mark_read(visit: Visit, Form(form): Form<MarkReadForm>) -> Response {
    let done = async {
        let me = visit.member()?;
        visit.check_form(&form.csrf)?;
        let up_to = parse_id(&form.up_to)?;
        let _: serde_json::Value = gql::run(
            &visit.web,
            Some(me),
            visit.lang(),
            "mutation Read($upTo: UUID!) { markRead(upTo: $upTo) }",
            json!({ "upTo": up_to }),
        )
        .await?;
        Ok::<_, PageError>(visit.redirect("/?lu=1"))
    }
    .await;
    visit.answer(done)
}

/// "Je m'engage": the holder's formal commitment to a mandate (R4).
pub(in crate::web) async fn commit(
    visit: Visit,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    const COMMIT: &str =
        "mutation Commit($id: UUID!) { commitToMandate(mandateId: $id) { revision } }";
    super::press(&visit, &form.csrf, &id, COMMIT, |_| "/?engage=1".to_owned()).await
}

/// The confirmation a redirect asked for (`/?lu=1`, `/?engage=1`).
fn flash_of(query: Option<&str>, p: &'static ui::home::Home) -> Option<&'static str> {
    match query {
        Some(q) if q.contains("lu=1") => Some(p.marked_read),
        Some(q) if q.contains("engage=1") => Some(p.committed),
        _ => None,
    }
}
