//! *Coordination*: the proposals escalated to the Coordination and the Agora (R9), each with
//! its own page; the mandates ending within 60 days; the account reports missing (R16); and how
//! concentrated authority is (R18), as a bar chart drawn on the server beside the same numbers
//! in a table. Every member may read it; each part is asked of the API on its own, so that a
//! part the API refuses to someone shows as unavailable instead of failing the whole page.

use super::super::chrome::{self, Chrome, Nav};
use super::super::error::PageError;
use super::super::gql::{self, Refused};
use super::super::time;
use super::super::visit::Visit;
use super::parse_id;
use askama::Template;
use axum::Router;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use governance_core::MemberId;
use governance_core::messages::{Lang, ui};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::json;

pub(super) fn routes() -> Router<super::super::Shared> {
    Router::new()
        .route("/coordination", get(show))
        .route("/coordination/escalades/{id}", get(escalation))
}

/// How far ahead the page looks for mandates ending.
const EXPIRING_DAYS: i64 = 60;

const UNITS: &str = "query Units { units { id kind } }";

const INBOX: &str = "query Inbox($agora: UUID, $withAgora: Boolean!) {
  coordination: inbox { ...E }
  agora: inbox(unitId: $agora) @include(if: $withAgora) { ...E }
}
fragment E on Escalation { id escalatedAt escalatedBy title unitName domain route { unitName } }";

const EXPIRING: &str = "query Expiring($days: Int!) {
  expiringMandates(withinDays: $days) {
    id holder { name } unit { name } domains role endsAt committedAt
  }
}";

const REPORTS: &str = "query Reports {
  missingReports { mandateId holderName coversFrom coversUntil }
  mandates { id unit { name } }
}";

const POWER: &str = "query Power {
  powerDistribution { holders { memberName mandates } withoutMandate topSharePercent }
}";

const ESCALATION: &str = "query Escalation($id: UUID!) {
  escalation(id: $id) {
    id escalatedAt escalatedBy bodyName title statement rationale unitName domain
    consultations { memberName consultedAt stance said }
    route { unitName unitKind holders }
    answeredBy answeredAt
  }
}";

#[derive(Debug, Deserialize)]
struct UnitsData {
    units: Vec<UnitKind>,
}

#[derive(Debug, Deserialize)]
struct UnitKind {
    id: String,
    kind: String,
}

#[derive(Debug, Deserialize)]
struct InboxData {
    coordination: Vec<EscalationRow>,
    #[serde(default)]
    agora: Option<Vec<EscalationRow>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct EscalationRow {
    id: String,
    escalated_at: DateTime<Utc>,
    escalated_by: String,
    title: String,
    unit_name: String,
    domain: String,
    route: Vec<RouteName>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RouteName {
    unit_name: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExpiringData {
    expiring_mandates: Vec<MandateRow>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct MandateRow {
    holder: Named,
    unit: Named,
    domains: Option<Vec<String>>,
    role: String,
    ends_at: DateTime<Utc>,
    committed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize)]
struct Named {
    name: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ReportsData {
    missing_reports: Vec<DueRow>,
    mandates: Vec<MandateUnit>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct DueRow {
    mandate_id: String,
    holder_name: String,
    covers_from: DateTime<Utc>,
    covers_until: DateTime<Utc>,
}

#[derive(Debug, Deserialize)]
struct MandateUnit {
    id: String,
    unit: Named,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PowerData {
    power_distribution: Power,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Power {
    holders: Vec<HolderCount>,
    without_mandate: Vec<String>,
    top_share_percent: i64,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct HolderCount {
    member_name: String,
    mandates: i64,
}

/// A line of a list, already worded.
#[derive(Debug)]
struct Line {
    /// A path within the movement (`/decisions/{id}`): the template puts the root before it.
    href: Option<String>,
    title: String,
    meta: String,
    /// The route an escalation took up ("Coordination → Agora"); empty for other lines.
    route: String,
}

/// One bar of the chart, placed in the SVG's coordinates.
#[derive(Debug)]
struct Bar {
    name: String,
    /// The name as drawn: shortened if it would run into the bar.
    label: String,
    count: i64,
    count_text: String,
    y: i64,
    text_y: i64,
    width: i64,
    count_x: i64,
}

#[derive(Debug)]
struct PowerView {
    bars: Vec<Bar>,
    width: i64,
    height: i64,
    /// Where the bars start, where the names end (right-aligned), how thick a bar is.
    bar_x: i64,
    label_end: i64,
    bar_height: i64,
    summary: String,
    without: Vec<String>,
}

/// A part of the page: what the API gave, or why it is missing (already worded).
type Part<T> = Result<T, String>;

#[derive(Template)]
#[template(path = "coordination.html")]
struct CoordinationPage {
    chrome: Chrome,
    p: &'static ui::coordination::Coordination,
    inbox: Part<Vec<Line>>,
    agora_inbox: Vec<Line>,
    expiring: Part<Vec<Line>>,
    reports: Part<Vec<Line>>,
    power: Part<PowerView>,
}

pub(in crate::web) async fn show(visit: Visit) -> Response {
    let page = render(&visit).await;
    visit.answer(page)
}

/// Runs one part's operation; a refusal becomes the sentence shown in its place.
async fn part<T: DeserializeOwned>(
    visit: &Visit,
    me: MemberId,
    document: &'static str,
    variables: serde_json::Value,
) -> Part<T> {
    gql::run(&visit.web, Some(me), visit.lang(), document, variables)
        .await
        .map_err(|r: Refused| r.message)
}

async fn render(visit: &Visit) -> Result<Response, PageError> {
    let me = visit.member()?;
    let lang = visit.lang();
    let tz = visit.tz();
    let p = ui::pick(lang, &ui::coordination::FR, &ui::coordination::EN);
    // The Agora's inbox needs its id; without it, only the Coordination's is asked.
    let agora = part::<UnitsData>(visit, me, UNITS, json!({}))
        .await
        .ok()
        .and_then(|u| u.units.into_iter().find(|u| u.kind == "AGORA"))
        .map(|u| u.id);
    let (inbox, expiring, reports, power) = tokio::join!(
        part::<InboxData>(
            visit,
            me,
            INBOX,
            json!({ "agora": agora, "withAgora": agora.is_some() })
        ),
        part::<ExpiringData>(visit, me, EXPIRING, json!({ "days": EXPIRING_DAYS })),
        part::<ReportsData>(visit, me, REPORTS, json!({})),
        part::<PowerData>(visit, me, POWER, json!({})),
    );
    let escalations = |rows: &[EscalationRow]| -> Vec<Line> {
        rows.iter()
            .map(|e| Line {
                href: Some(format!("/coordination/escalades/{}", e.id)),
                title: e.title.clone(),
                meta: format!(
                    "{} · {} · {} {} {} {}",
                    e.unit_name,
                    e.domain,
                    p.escalated_by,
                    e.escalated_by,
                    p.escalated_on,
                    time::day(e.escalated_at, tz, lang)
                ),
                route: e
                    .route
                    .iter()
                    .map(|s| s.unit_name.as_str())
                    .collect::<Vec<_>>()
                    .join(" → "),
            })
            .collect()
    };
    let agora_inbox = inbox
        .as_ref()
        .ok()
        .and_then(|i| i.agora.as_deref())
        .map(escalations)
        .unwrap_or_default();
    let page = CoordinationPage {
        chrome: visit.frame(Nav::Coordination),
        p,
        inbox: inbox.map(|i| escalations(&i.coordination)),
        agora_inbox,
        expiring: expiring.map(|e| expiring_lines(&e, lang, tz, p)),
        reports: reports.map(|r| report_lines(&r, lang, tz, p)),
        power: power.map(|d| power_view(d.power_distribution, lang, p)),
    };
    Ok(chrome::html(StatusCode::OK, &page))
}

fn expiring_lines(
    data: &ExpiringData,
    lang: Lang,
    tz: Tz,
    p: &'static ui::coordination::Coordination,
) -> Vec<Line> {
    let mut rows: Vec<&MandateRow> = data.expiring_mandates.iter().collect();
    rows.sort_by_key(|m| m.ends_at);
    rows.iter()
        .map(|m| {
            let scope = match &m.domains {
                Some(d) if !d.is_empty() => d.join(", "),
                _ => p.every_domain.to_owned(),
            };
            let mut meta = format!(
                "{} · {} · {} · {} {}",
                m.unit.name,
                scope,
                role(&m.role, p),
                p.ends_on,
                time::day(m.ends_at, tz, lang)
            );
            if m.committed_at.is_none() {
                meta = format!("{meta} · {}", p.not_committed);
            }
            Line {
                href: None,
                title: m.holder.name.clone(),
                meta,
                route: String::new(),
            }
        })
        .collect()
}

fn report_lines(
    data: &ReportsData,
    lang: Lang,
    tz: Tz,
    p: &'static ui::coordination::Coordination,
) -> Vec<Line> {
    data.missing_reports
        .iter()
        .map(|r| {
            let unit = data
                .mandates
                .iter()
                .find(|m| m.id == r.mandate_id)
                .map(|m| format!("{} · ", m.unit.name))
                .unwrap_or_default();
            Line {
                href: None,
                title: r.holder_name.clone(),
                meta: format!(
                    "{unit}{} {} {} {}",
                    p.report_period,
                    time::day(r.covers_from, tz, lang),
                    p.report_to,
                    time::day(r.covers_until, tz, lang)
                ),
                route: String::new(),
            }
        })
        .collect()
}

/// The chart's geometry: a 360-unit-wide drawing (about a phone's width, so its text stays
/// legible at 375 px), names on the left, one bar per holder, most mandates first.
const CHART_WIDTH: i64 = 360;
const LABEL_WIDTH: i64 = 130;
const ROW_HEIGHT: i64 = 28;
const BAR_HEIGHT: i64 = 18;
/// Room left after the longest bar for its number.
const COUNT_ROOM: i64 = 36;
/// Longest name drawn whole in the chart (the table beside it always has the whole name).
const LABEL_CHARS: usize = 17;

fn power_view(mut d: Power, lang: Lang, p: &'static ui::coordination::Coordination) -> PowerView {
    d.holders.sort_by(|a, b| {
        b.mandates
            .cmp(&a.mandates)
            .then(a.member_name.cmp(&b.member_name))
    });
    let max = d
        .holders
        .iter()
        .map(|h| h.mandates)
        .max()
        .unwrap_or(0)
        .max(1);
    let room = CHART_WIDTH - LABEL_WIDTH - COUNT_ROOM;
    let bars: Vec<Bar> = d
        .holders
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let y = i as i64 * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2;
            // A holder counted has at least one mandate: never draw a bar too thin to see.
            let width = (h.mandates.max(0) * room / max).max(4);
            let label = if h.member_name.chars().count() > LABEL_CHARS {
                let short: String = h.member_name.chars().take(LABEL_CHARS - 1).collect();
                format!("{short}…")
            } else {
                h.member_name.clone()
            };
            Bar {
                name: h.member_name.clone(),
                label,
                count: h.mandates,
                count_text: ui::count(
                    lang,
                    h.mandates.max(0) as usize,
                    p.mandate_one,
                    p.mandate_many,
                ),
                y,
                text_y: y + BAR_HEIGHT - 4,
                width,
                count_x: LABEL_WIDTH + width + 6,
            }
        })
        .collect();
    // The API's order (the members' own): a plain sort would put "Élise" after "Léo".
    let without = d.without_mandate;
    PowerView {
        width: CHART_WIDTH,
        height: (bars.len() as i64 * ROW_HEIGHT).max(ROW_HEIGHT),
        bar_x: LABEL_WIDTH,
        label_end: LABEL_WIDTH - 6,
        bar_height: BAR_HEIGHT,
        bars,
        summary: format!(
            "{} {}{}",
            p.top_share,
            ui::number(lang, d.top_share_percent),
            p.top_share_after
        ),
        without,
    }
}

fn role(raw: &str, p: &'static ui::coordination::Coordination) -> &'static str {
    match raw {
        "REFERENT" => p.referent,
        _ => p.holder,
    }
}

#[derive(Debug, Deserialize)]
struct EscalationData {
    escalation: Option<EscalationFull>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct EscalationFull {
    escalated_at: DateTime<Utc>,
    escalated_by: String,
    body_name: String,
    title: String,
    statement: String,
    rationale: String,
    unit_name: String,
    domain: String,
    consultations: Vec<ConsultationRow>,
    route: Vec<Step>,
    answered_by: Option<String>,
    answered_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConsultationRow {
    member_name: String,
    consulted_at: DateTime<Utc>,
    stance: String,
    said: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Step {
    unit_name: String,
    unit_kind: String,
    holders: Vec<String>,
}

#[derive(Debug)]
struct Consulted {
    who: String,
    stance: &'static str,
    when: String,
    said: String,
}

#[derive(Template)]
#[template(path = "coordination_escalation.html")]
struct EscalationPage {
    chrome: Chrome,
    p: &'static ui::coordination::Coordination,
    e: EscalationFull,
    escalated: String,
    consultations: Vec<Consulted>,
    route: Vec<String>,
    answered: Option<(String, String)>,
}

/// An escalated proposal's own page: the proposal as its author wrote it, who escalated it
/// and when, who was consulted, the route it took up, and the decision that answered it.
pub(in crate::web) async fn escalation(visit: Visit, Path(id): Path<String>) -> Response {
    let page = async {
        let me = visit.member()?;
        let id = parse_id(&id)?;
        let lang = visit.lang();
        let tz = visit.tz();
        let p = ui::pick(lang, &ui::coordination::FR, &ui::coordination::EN);
        let data: EscalationData =
            gql::run(&visit.web, Some(me), lang, ESCALATION, json!({ "id": id })).await?;
        let e = data.escalation.ok_or(PageError::NotFound)?;
        let consultations = e
            .consultations
            .iter()
            .map(|c| Consulted {
                who: c.member_name.clone(),
                stance: match c.stance.as_str() {
                    "SUPPORT" => p.support,
                    "CONCERN" => p.concern,
                    _ => p.objection,
                },
                when: time::day(c.consulted_at, tz, lang),
                said: c.said.clone(),
            })
            .collect();
        let route = e
            .route
            .iter()
            .map(|s| {
                let who = if s.unit_kind == "AGORA" {
                    p.all_members.to_owned()
                } else if s.holders.is_empty() {
                    p.no_holder_there.to_owned()
                } else {
                    s.holders.join(", ")
                };
                format!("{} ({who})", s.unit_name)
            })
            .collect();
        let answered = match (&e.answered_by, e.answered_at) {
            (Some(by), Some(at)) => Some((by.clone(), time::day(at, tz, lang))),
            _ => None,
        };
        let page = EscalationPage {
            chrome: visit.frame(Nav::Coordination),
            p,
            escalated: format!(
                "{} {} {} {}",
                p.escalated_by,
                e.escalated_by,
                p.escalated_on,
                time::day_time(e.escalated_at, tz, lang)
            ),
            consultations,
            route,
            answered,
            e,
        };
        Ok::<_, PageError>(chrome::html(StatusCode::OK, &page))
    }
    .await;
    visit.answer(page)
}
