//! *Réunions*: the meetings of my units and the Agora, upcoming first then past; a meeting's
//! page (agenda, attendance and proxies, its relevé, secretaries, closing) with the forms that
//! make sense for the caller (sign my attendance, give or withdraw my proxy, sign a petition,
//! add an agenda item, close the relevé); and the convocation form. Every form is judged by the
//! API (ADR 0005): a form shown or hidden here is a convenience, never a check.
//! Long because: the meeting model has seven writes, each with its form, its refusal re-rendered
//! on the meeting's page and its tests; splitting the convocation form out is the next step.

use super::super::Shared;
use super::super::chrome::{self, Chrome, Nav};
use super::super::error::PageError;
use super::super::gql::{self, Refused};
use super::super::time;
use super::super::visit::Visit;
use super::{CsrfForm, parse_id};
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use governance_core::MemberId;
use governance_core::messages::{Lang, ui};
use serde::Deserialize;
use serde_json::json;

type Words = ui::meetings::Meetings;

/// The routes of *Réunions*.
pub(in crate::web) fn routes() -> Router<Shared> {
    Router::new()
        .route("/reunions", get(list))
        .route("/reunions/convoquer", get(convene_form).post(convene))
        .route("/reunions/{id}", get(show))
        .route("/reunions/{id}/emargement", post(sign_attendance))
        .route("/reunions/{id}/petition", post(sign_petition))
        .route("/reunions/{id}/pouvoir", post(give_proxy))
        .route("/reunions/{id}/pouvoir/retrait", post(withdraw_proxy))
        .route("/reunions/{id}/ordre-du-jour", post(add_item))
        .route("/reunions/{id}/cloture", post(close_minutes))
}

fn words(lang: Lang) -> &'static Words {
    ui::pick(lang, &ui::meetings::FR, &ui::meetings::EN)
}

// ---------------------------------------------------------------------------------------------
// What the API answers.

#[derive(Debug, Deserialize)]
struct MeRow {
    id: String,
    name: String,
    mandates: Vec<MyMandate>,
}

#[derive(Debug, Deserialize)]
struct MyMandate {
    unit: IdOnly,
    status: String,
}

#[derive(Debug, Deserialize)]
struct IdOnly {
    id: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct UnitRow {
    id: String,
    name: String,
    kind: String,
    parent: Option<IdOnly>,
    #[serde(default)]
    domains: Vec<String>,
    #[serde(default)]
    archived_at: Option<DateTime<Utc>>,
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

/// A mandate still counting for "my units": in force, waiting for commitment, or not started.
fn live(status: &str) -> bool {
    matches!(status, "IN_FORCE" | "PENDING_COMMITMENT" | "NOT_STARTED")
}

fn status_word(p: &Words, status: &str) -> &'static str {
    match status {
        "PETITION" => p.status_petition,
        "CONVENED" => p.status_convened,
        "IN_SESSION" => p.status_in_session,
        "HELD" => p.status_held,
        "CLOSED" => p.status_closed,
        _ => p.status_legacy,
    }
}

/// Whether a meeting is still ahead or taking place (the rest is past).
fn upcoming(status: &str) -> bool {
    matches!(status, "PETITION" | "CONVENED" | "IN_SESSION")
}

/// "Agora", "Réunion de fonctionnement — Coordination", "Réunion — Pôle Mobilisation".
fn meeting_title(p: &Words, kind: &str, body: Option<&str>) -> String {
    let label = match kind {
        "agora" => return p.kind_agora.to_owned(),
        "gouvernance" => p.kind_gouvernance,
        "fonctionnement" => p.kind_fonctionnement,
        _ => p.kind_unit,
    };
    match body {
        Some(b) if !b.is_empty() => format!("{label} — {b}"),
        _ => label.to_owned(),
    }
}

// ---------------------------------------------------------------------------------------------
// The list.

const LIST: &str = "query Meetings {
  me { id name mandates { unit { id } status } }
  units { id name kind parent { id } }
  meetings { id kind unitId bodyId bodyName heldAt place status }
}";

#[derive(Debug, Deserialize)]
struct ListData {
    me: MeRow,
    units: Vec<UnitRow>,
    meetings: Vec<MeetingRow>,
}

#[derive(Debug, Default, Deserialize)]
pub(in crate::web) struct ListQuery {
    #[serde(default)]
    toutes: String,
    #[serde(default)]
    fait: String,
}

#[derive(Debug)]
struct Line {
    id: String,
    title: String,
    when: String,
    place: String,
    status: &'static str,
    open: bool,
}

#[derive(Template)]
#[template(path = "meetings.html")]
struct ListPage {
    chrome: Chrome,
    p: &'static Words,
    all: bool,
    count: String,
    upcoming: Vec<Line>,
    past: Vec<Line>,
}

/// The units whose meetings concern me: where I hold a live mandate, and the unit just above a
/// Comité or working group I hold one in (its holders belong to that unit's college, ADR 0005).
fn my_units(me: &MeRow, units: &[UnitRow]) -> Vec<String> {
    let mut mine: Vec<String> = me
        .mandates
        .iter()
        .filter(|m| live(&m.status))
        .map(|m| m.unit.id.clone())
        .collect();
    for u in units {
        if mine.contains(&u.id)
            && matches!(u.kind.as_str(), "COMITE" | "WORKING_GROUP")
            && let Some(parent) = &u.parent
            && !mine.contains(&parent.id)
        {
            mine.push(parent.id.clone());
        }
    }
    mine
}

pub(in crate::web) async fn list(visit: Visit, Query(q): Query<ListQuery>) -> Response {
    let page = async {
        let me = visit.member()?;
        let lang = visit.lang();
        let tz = visit.tz();
        let p = words(lang);
        let data: ListData = gql::run(&visit.web, Some(me), lang, LIST, json!({})).await?;
        let all = !q.toutes.is_empty();
        let mine = my_units(&data.me, &data.units);
        let agora: Vec<&str> = data
            .units
            .iter()
            .filter(|u| u.kind == "AGORA")
            .map(|u| u.id.as_str())
            .collect();
        let concerns = |m: &MeetingRow| {
            all || m.kind == "agora"
                || [&m.unit_id, &m.body_id]
                    .into_iter()
                    .flatten()
                    .any(|u| mine.contains(u) || agora.contains(&u.as_str()))
        };
        let mut shown: Vec<&MeetingRow> = data.meetings.iter().filter(|m| concerns(m)).collect();
        shown.sort_by_key(|m| m.held_at);
        let line = |m: &&MeetingRow| Line {
            id: m.id.clone(),
            title: meeting_title(p, &m.kind, m.body_name.as_deref()),
            when: time::day_time(m.held_at, tz, lang),
            place: m.place.clone().unwrap_or_default(),
            status: status_word(p, &m.status),
            open: upcoming(&m.status),
        };
        let upcoming_lines: Vec<Line> = shown
            .iter()
            .filter(|m| upcoming(&m.status))
            .map(line)
            .collect();
        // The past, most recent first.
        let past: Vec<Line> = shown
            .iter()
            .rev()
            .filter(|m| !upcoming(&m.status))
            .map(line)
            .collect();
        let mut chrome = visit.frame(Nav::Meetings);
        chrome.flash = flash(p, &q.fait).map(str::to_owned);
        let page = ListPage {
            chrome,
            p,
            all,
            count: ui::count(lang, shown.len(), p.one, p.many),
            upcoming: upcoming_lines,
            past,
        };
        Ok::<_, PageError>(chrome::html(StatusCode::OK, &page))
    }
    .await;
    visit.answer(page)
}

/// The confirmation a redirect asked for (`?fait=presence`, ...); anything else shows nothing.
fn flash(p: &Words, fait: &str) -> Option<&'static str> {
    Some(match fait {
        "presence" => p.done_signed,
        "petition" => p.done_petition,
        "pouvoir" => p.done_proxy,
        "retrait" => p.done_withdrawn,
        "point" => p.done_item,
        "clos" => p.done_closed,
        "convoquee" => p.done_convened,
        "petition-ouverte" => p.done_petition_opened,
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------
// A meeting's page.

const ONE: &str = "query One($id: UUID!) {
  me { id name mandates { unit { id } status } }
  units { id name kind parent { id } domains archivedAt }
  members { id name }
  mandates { holder { id } unit { id } status }
  tensions(status: OPEN) { id title }
  organization { settings { meetings { agoraProxiesPerHolder unitProxiesPerHolder } } }
  meeting(id: $id) {
    id kind unitId bodyId bodyName heldAt endsAt place convenedAt convenedBy status
    petitionSignatures { memberId name }
    attendance { collegeSize count quorum quorumReached
      present { memberId name } guests { memberId name }
      represented { memberId memberName byId byName } }
    proxies { fromId fromName toId toName givenAt withdrawnAt }
    agendaItems { kind tensionId title addedAt addedBy }
    decisions { id title domain decidedAt }
    secretaries
    closedAt
  }
}";

#[derive(Debug, Deserialize)]
struct OneData {
    me: MeRow,
    units: Vec<UnitRow>,
    members: Vec<Person>,
    mandates: Vec<AnyMandate>,
    tensions: Vec<Person2>,
    organization: Org,
    meeting: Option<Full>,
}

#[derive(Debug, Deserialize)]
struct Person {
    id: String,
    name: String,
}

/// A tension to offer for the agenda.
#[derive(Debug, Deserialize)]
struct Person2 {
    id: String,
    title: String,
}

#[derive(Debug, Deserialize)]
struct AnyMandate {
    holder: IdOnly,
    unit: IdOnly,
    status: String,
}

#[derive(Debug, Deserialize)]
struct Org {
    settings: Settings,
}

#[derive(Debug, Deserialize)]
struct Settings {
    meetings: Rules,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Rules {
    agora_proxies_per_holder: i64,
    unit_proxies_per_holder: i64,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Full {
    id: String,
    kind: String,
    body_id: Option<String>,
    body_name: Option<String>,
    held_at: DateTime<Utc>,
    ends_at: Option<DateTime<Utc>>,
    place: Option<String>,
    convened_at: Option<DateTime<Utc>>,
    convened_by: Option<String>,
    status: String,
    petition_signatures: Vec<Attendee>,
    attendance: Option<Attendance>,
    proxies: Vec<ProxyRow>,
    agenda_items: Vec<ItemRow>,
    decisions: Vec<DecisionRow>,
    secretaries: Vec<String>,
    closed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Attendee {
    member_id: String,
    name: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Attendance {
    college_size: i64,
    count: i64,
    quorum: i64,
    quorum_reached: bool,
    present: Vec<Attendee>,
    guests: Vec<Attendee>,
    represented: Vec<Representation>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Representation {
    member_name: String,
    by_name: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ProxyRow {
    from_id: String,
    from_name: String,
    to_id: String,
    to_name: String,
    given_at: DateTime<Utc>,
    withdrawn_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ItemRow {
    kind: String,
    tension_id: Option<String>,
    title: String,
    added_at: DateTime<Utc>,
    added_by: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct DecisionRow {
    id: String,
    title: String,
    domain: String,
    decided_at: DateTime<Utc>,
}

#[derive(Debug)]
struct Item {
    kind: &'static str,
    title: String,
    /// A path within the movement (`/decisions/{id}`): the template puts the root before it.
    href: Option<String>,
    meta: String,
}

#[derive(Debug)]
struct ProxyLine {
    from: String,
    to: String,
    given: String,
    withdrawn: Option<String>,
}

#[derive(Debug)]
struct Sheet {
    college: String,
    participants: String,
    quorum: String,
    reached: bool,
    /// Whether the meeting has started: before, "quorum not reached" would only alarm.
    started: bool,
    present: Vec<String>,
    represented: Vec<(String, String)>,
    guests: Vec<String>,
}

/// What the caller may try on this meeting: the forms to show.
#[derive(Debug, Default)]
struct Offers {
    sign: bool,
    signed: bool,
    petition: bool,
    petition_signed: bool,
    proxy_to: Vec<(String, String)>,
    my_proxy: Option<String>,
    withdraw: bool,
    agenda: bool,
    domains: Vec<String>,
    tensions: Vec<(String, String)>,
    close: bool,
}

impl Offers {
    fn any(&self) -> bool {
        self.sign
            || self.signed
            || self.petition
            || self.petition_signed
            || !self.proxy_to.is_empty()
            || self.my_proxy.is_some()
            || self.agenda
            || self.close
    }
}

#[derive(Template)]
#[template(path = "meeting.html")]
struct OnePage {
    chrome: Chrome,
    p: &'static Words,
    id: String,
    title: String,
    status: &'static str,
    body: String,
    starts: String,
    ends: Option<String>,
    place: String,
    convened_on: Option<String>,
    convened_by: Option<String>,
    is_petition: bool,
    signatures_count: String,
    signatures: Vec<String>,
    agenda: Vec<Item>,
    sheet: Option<Sheet>,
    proxies: Vec<ProxyLine>,
    decisions: Vec<(String, String, String)>,
    secretaries: String,
    closed_on: Option<String>,
    offers: Offers,
    /// The API's refusal of the form just sent, in the page's language, with its route.
    refusal: Option<Refused>,
}

impl OnePage {
    fn route(&self) -> String {
        self.refusal
            .as_ref()
            .map(|r| {
                r.route
                    .iter()
                    .map(|s| s.unit_name.as_str())
                    .collect::<Vec<_>>()
                    .join(" → ")
            })
            .unwrap_or_default()
    }
}

/// The college of a body at this instant, as far as a page can tell (the API fixes the real
/// one at the start): every member for the Agora; otherwise the holders in force in the body
/// and in the Comités and working groups directly under it.
fn college(data: &OneData, body: Option<&str>, agora: bool) -> Vec<String> {
    if agora {
        return data.members.iter().map(|m| m.id.clone()).collect();
    }
    let Some(body) = body else {
        return Vec::new();
    };
    let units: Vec<&str> = data
        .units
        .iter()
        .filter(|u| {
            u.archived_at.is_none()
                && (u.id == body
                    || (matches!(u.kind.as_str(), "COMITE" | "WORKING_GROUP")
                        && u.parent.as_ref().is_some_and(|p| p.id == body)))
        })
        .map(|u| u.id.as_str())
        .collect();
    let mut out: Vec<String> = Vec::new();
    for m in &data.mandates {
        if m.status == "IN_FORCE"
            && units.contains(&m.unit.id.as_str())
            && !out.contains(&m.holder.id)
        {
            out.push(m.holder.id.clone());
        }
    }
    out
}

fn offers(data: &OneData, m: &Full) -> Offers {
    let me = data.me.id.as_str();
    let agora = m.kind == "agora"
        || data
            .units
            .iter()
            .any(|u| u.kind == "AGORA" && Some(&u.id) == m.body_id.as_ref());
    let before_start = matches!(m.status.as_str(), "PETITION" | "CONVENED");
    let mut o = Offers::default();
    // Attendance: while in session, for whoever has not signed.
    let signed = m.attendance.as_ref().is_some_and(|a| {
        a.present
            .iter()
            .chain(a.guests.iter())
            .any(|x| x.member_id == me)
    });
    o.signed = signed && m.status == "IN_SESSION";
    o.sign = m.status == "IN_SESSION" && !signed;
    // Petition: each signs for themselves.
    let petition_signed = m.petition_signatures.iter().any(|s| s.member_id == me);
    o.petition = m.status == "PETITION" && !petition_signed;
    o.petition_signed = m.status == "PETITION" && petition_signed;
    // Proxies: before the start, within the college, where the settings allow any, no chains.
    let active: Vec<&ProxyRow> = m
        .proxies
        .iter()
        .filter(|x| x.withdrawn_at.is_none())
        .collect();
    let given = active.iter().find(|x| x.from_id == me);
    let carries = active.iter().any(|x| x.to_id == me);
    let cap = if agora {
        data.organization.settings.meetings.agora_proxies_per_holder
    } else {
        data.organization.settings.meetings.unit_proxies_per_holder
    };
    if m.status == "CONVENED" {
        match given {
            Some(x) => {
                o.my_proxy = Some(x.to_name.clone());
                o.withdraw = true;
            }
            None if cap > 0 && !carries => {
                let college = college(data, m.body_id.as_deref(), agora);
                if college.iter().any(|c| c == me) {
                    // Someone who gave a proxy cannot receive one.
                    let givers: Vec<&str> = active.iter().map(|x| x.from_id.as_str()).collect();
                    o.proxy_to = data
                        .members
                        .iter()
                        .filter(|x| x.id != me && college.contains(&x.id))
                        .filter(|x| !givers.contains(&x.id.as_str()))
                        .map(|x| (x.id.clone(), x.name.clone()))
                        .collect();
                }
            }
            None => {}
        }
    }
    // Agenda: its convener, or anyone entitled to convene the body; a petition's opener while
    // alone on it.
    let entitled_in = if agora {
        data.units
            .iter()
            .find(|u| u.kind == "COORDINATION")
            .map(|u| u.id.clone())
    } else {
        m.body_id.clone()
    };
    let entitled = entitled_in.as_ref().is_some_and(|unit| {
        data.me
            .mandates
            .iter()
            .any(|x| x.status == "IN_FORCE" && &x.unit.id == unit)
    });
    o.agenda = match m.status.as_str() {
        "PETITION" => m.petition_signatures.len() == 1 && m.petition_signatures[0].member_id == me,
        "CONVENED" => entitled || m.convened_by.as_deref() == Some(data.me.name.as_str()),
        _ => false,
    };
    if o.agenda && before_start {
        let mut domains: Vec<String> = data
            .units
            .iter()
            .filter(|u| agora || Some(&u.id) == m.body_id.as_ref())
            .flat_map(|u| u.domains.iter().cloned())
            .collect();
        domains.sort();
        domains.dedup();
        o.domains = domains;
        let on_agenda: Vec<&str> = m
            .agenda_items
            .iter()
            .filter_map(|i| i.tension_id.as_deref())
            .collect();
        o.tensions = data
            .tensions
            .iter()
            .filter(|t| !on_agenda.contains(&t.id.as_str()))
            .map(|t| (t.id.clone(), t.title.clone()))
            .collect();
    }
    // The relevé: its chair or a secretary, once the meeting has ended.
    o.close = m.status == "HELD"
        && (m.convened_by.as_deref() == Some(data.me.name.as_str())
            || m.secretaries.iter().any(|s| s == &data.me.name));
    o
}

pub(in crate::web) async fn show(
    visit: Visit,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Response {
    let page = async {
        let me = visit.member()?;
        let id = parse_id(&id)?;
        let p = words(visit.lang());
        render_one(&visit, me, id, flash(p, &q.fait), None).await
    }
    .await;
    visit.answer(page)
}

async fn render_one(
    visit: &Visit,
    me: MemberId,
    id: uuid::Uuid,
    flash: Option<&'static str>,
    refusal: Option<Refused>,
) -> Result<Response, PageError> {
    let lang = visit.lang();
    let tz = visit.tz();
    let p = words(lang);
    let data: OneData = gql::run(&visit.web, Some(me), lang, ONE, json!({ "id": id })).await?;
    let Some(m) = data.meeting.as_ref() else {
        return Err(PageError::NotFound);
    };
    let offers = offers(&data, m);
    let sheet = m.attendance.as_ref().map(|a| Sheet {
        college: ui::number(lang, a.college_size),
        participants: ui::number(lang, a.count),
        quorum: ui::number(lang, a.quorum),
        reached: a.quorum_reached,
        started: !matches!(m.status.as_str(), "PETITION" | "CONVENED"),
        present: a.present.iter().map(|x| x.name.clone()).collect(),
        represented: a
            .represented
            .iter()
            .map(|r| (r.member_name.clone(), r.by_name.clone()))
            .collect(),
        guests: a.guests.iter().map(|x| x.name.clone()).collect(),
    });
    let agenda = m
        .agenda_items
        .iter()
        .map(|i| Item {
            kind: match i.kind.as_str() {
                "tension" => p.item_tension,
                "escalation" => p.item_escalation,
                _ => p.item_domain,
            },
            title: i.title.clone(),
            href: i.tension_id.as_ref().map(|t| format!("/tensions/{t}")),
            meta: format!(
                "{} {} · {}",
                p.added_by,
                i.added_by,
                time::day(i.added_at, tz, lang)
            ),
        })
        .collect();
    let mut chrome = visit.frame(Nav::Meetings);
    chrome.flash = flash.map(str::to_owned);
    let status = if refusal.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = OnePage {
        chrome,
        p,
        id: m.id.clone(),
        title: meeting_title(p, &m.kind, m.body_name.as_deref()),
        status: status_word(p, &m.status),
        body: m.body_name.clone().unwrap_or_default(),
        starts: time::day_time(m.held_at, tz, lang),
        ends: m.ends_at.map(|e| time::day_time(e, tz, lang)),
        place: m
            .place
            .clone()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| p.no_place.to_owned()),
        convened_on: m.convened_at.map(|c| time::day(c, tz, lang)),
        convened_by: m.convened_by.clone(),
        is_petition: m.status == "PETITION",
        signatures_count: ui::count(
            lang,
            m.petition_signatures.len(),
            p.signatures_one,
            p.signatures_many,
        ),
        signatures: m
            .petition_signatures
            .iter()
            .map(|s| s.name.clone())
            .collect(),
        agenda,
        sheet,
        proxies: m
            .proxies
            .iter()
            .map(|x| ProxyLine {
                from: x.from_name.clone(),
                to: x.to_name.clone(),
                given: time::day_time(x.given_at, tz, lang),
                withdrawn: x.withdrawn_at.map(|w| time::day_time(w, tz, lang)),
            })
            .collect(),
        decisions: m
            .decisions
            .iter()
            .map(|d| {
                (
                    d.id.clone(),
                    d.title.clone(),
                    format!("{} · {}", d.domain, time::day_time(d.decided_at, tz, lang)),
                )
            })
            .collect(),
        secretaries: m.secretaries.join(", "),
        closed_on: m.closed_at.map(|c| time::day_time(c, tz, lang)),
        offers,
        refusal,
    };
    Ok(chrome::html(status, &page))
}

// ---------------------------------------------------------------------------------------------
// A meeting's forms: each runs one mutation as the caller; a refusal shows the meeting again
// with the API's message, a success goes back to it (PRG).

/// Checks the form, runs `document` on meeting `id` with `extra` variables, and answers.
async fn act(
    visit: Visit,
    id: String,
    csrf: String,
    document: &'static str,
    extra: serde_json::Value,
    done: &'static str,
) -> Response {
    let answer = async {
        visit.check_form(&csrf)?;
        let me = visit.member()?;
        let id = parse_id(&id)?;
        let mut vars = json!({ "meetingId": id });
        if let (Some(v), serde_json::Value::Object(more)) = (vars.as_object_mut(), extra) {
            v.extend(more);
        }
        match gql::run::<serde_json::Value>(&visit.web, Some(me), visit.lang(), document, vars)
            .await
        {
            Ok(_) => Ok(visit.redirect(&format!("/reunions/{id}?fait={done}"))),
            Err(r) => match PageError::from(r) {
                PageError::Refused(r) => render_one(&visit, me, id, None, Some(r)).await,
                other => Err(other),
            },
        }
    }
    .await;
    visit.answer(answer)
}

pub(in crate::web) async fn sign_attendance(
    visit: Visit,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    const DOC: &str = "mutation Sign($meetingId: UUID!) {
      signAttendance(meetingId: $meetingId) { revision } }";
    act(visit, id, form.csrf, DOC, json!({}), "presence").await
}

pub(in crate::web) async fn sign_petition(
    visit: Visit,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    const DOC: &str = "mutation Petition($meetingId: UUID!) {
      signPetition(meetingId: $meetingId) { revision } }";
    act(visit, id, form.csrf, DOC, json!({}), "petition").await
}

#[derive(Debug, Deserialize)]
pub(in crate::web) struct ProxyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    membre: String,
}

pub(in crate::web) async fn give_proxy(
    visit: Visit,
    Path(id): Path<String>,
    Form(form): Form<ProxyForm>,
) -> Response {
    const DOC: &str = "mutation Proxy($meetingId: UUID!, $to: UUID!) {
      giveProxy(meetingId: $meetingId, toMemberId: $to) { revision } }";
    match uuid::Uuid::parse_str(form.membre.trim()) {
        Ok(to) => act(visit, id, form.csrf, DOC, json!({ "to": to }), "pouvoir").await,
        // Not an id at all: nothing to ask the API; the page says so, after the same checks.
        Err(_) => {
            let answer = async {
                visit.check_form(&form.csrf)?;
                let me = visit.member()?;
                let id = parse_id(&id)?;
                let p = words(visit.lang());
                render_one(&visit, me, id, None, Some(own_problem(p.bad_member))).await
            }
            .await;
            visit.answer(answer)
        }
    }
}

pub(in crate::web) async fn withdraw_proxy(
    visit: Visit,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    const DOC: &str = "mutation Withdraw($meetingId: UUID!) {
      withdrawProxy(meetingId: $meetingId) { revision } }";
    act(visit, id, form.csrf, DOC, json!({}), "retrait").await
}

#[derive(Debug, Deserialize)]
pub(in crate::web) struct ItemForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    domaine: String,
    #[serde(default)]
    tension: String,
}

pub(in crate::web) async fn add_item(
    visit: Visit,
    Path(id): Path<String>,
    Form(form): Form<ItemForm>,
) -> Response {
    const DOC: &str = "mutation Item($meetingId: UUID!, $item: AgendaItemInput!) {
      addAgendaItem(meetingId: $meetingId, item: $item) { revision } }";
    // Each form sends one of the two; the tension's form names no domain.
    let item = match uuid::Uuid::parse_str(form.tension.trim()) {
        Ok(t) => json!({ "tension": t }),
        Err(_) => json!({ "domain": form.domaine.trim().chars().take(100).collect::<String>() }),
    };
    act(visit, id, form.csrf, DOC, json!({ "item": item }), "point").await
}

pub(in crate::web) async fn close_minutes(
    visit: Visit,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    const DOC: &str = "mutation Close($meetingId: UUID!) {
      closeMinutes(meetingId: $meetingId) { revision } }";
    act(visit, id, form.csrf, DOC, json!({}), "clos").await
}

// ---------------------------------------------------------------------------------------------
// Convening.

const CONVENE_DATA: &str = "query Convene {
  units { id name kind parent { id } archivedAt }
  tensions(status: OPEN) { id title }
  organization { settings { meetings { agoraNoticeDays unitNoticeDays maxMeetingHours } } }
}";

#[derive(Debug, Deserialize)]
struct ConveneData {
    units: Vec<UnitRow>,
    tensions: Vec<Person2>,
    organization: ConveneOrg,
}

#[derive(Debug, Deserialize)]
struct ConveneOrg {
    settings: ConveneSettings,
}

#[derive(Debug, Deserialize)]
struct ConveneSettings {
    meetings: ConveneRules,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConveneRules {
    agora_notice_days: i64,
    unit_notice_days: i64,
    max_meeting_hours: i64,
}

/// What the person typed, kept to show the form again.
#[derive(Debug, Default, Clone)]
struct Typed {
    quoi: String,
    unite: String,
    debut: String,
    duree: String,
    lieu: String,
    domaines: String,
    tensions: Vec<String>,
}

#[derive(Template)]
#[template(path = "meeting_convene.html")]
struct ConvenePage {
    chrome: Chrome,
    p: &'static Words,
    notice: String,
    max_hours: String,
    units: Vec<(String, String)>,
    tensions: Vec<(String, String)>,
    typed: Typed,
    /// Why the form came back: our own reading of a field, or the API's refusal.
    problem: Option<String>,
    route: String,
}

impl ConvenePage {
    fn kind_is(&self, k: &str) -> bool {
        self.typed.quoi == k
    }
    fn unit_is(&self, id: &str) -> bool {
        self.typed.unite == id
    }
    fn tension_is(&self, id: &str) -> bool {
        self.typed.tensions.iter().any(|t| t == id)
    }
}

pub(in crate::web) async fn convene_form(visit: Visit) -> Response {
    let page = async {
        let me = visit.member()?;
        let typed = Typed {
            duree: "2".into(),
            ..Typed::default()
        };
        render_convene(&visit, me, typed, None, StatusCode::OK).await
    }
    .await;
    visit.answer(page)
}

async fn render_convene(
    visit: &Visit,
    me: MemberId,
    typed: Typed,
    problem: Option<Refused>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let lang = visit.lang();
    let p = words(lang);
    let data: ConveneData = gql::run(&visit.web, Some(me), lang, CONVENE_DATA, json!({})).await?;
    let rules = &data.organization.settings.meetings;
    let notice = format!(
        "{}{} {} ({}), {} {} {}.",
        p.notice_rules,
        ui::number(lang, rules.agora_notice_days),
        p.days,
        p.kind_agora,
        ui::number(lang, rules.unit_notice_days),
        p.days,
        p.other_meetings
    );
    let route = problem
        .as_ref()
        .map(|r| {
            r.route
                .iter()
                .map(|s| s.unit_name.as_str())
                .collect::<Vec<_>>()
                .join(" → ")
        })
        .unwrap_or_default();
    let page = ConvenePage {
        chrome: visit.frame(Nav::Meetings),
        p,
        notice,
        max_hours: ui::number(lang, rules.max_meeting_hours),
        units: data
            .units
            .iter()
            .filter(|u| u.archived_at.is_none() && u.kind != "AGORA")
            .map(|u| (u.id.clone(), u.name.clone()))
            .collect(),
        tensions: data
            .tensions
            .iter()
            .map(|t| (t.id.clone(), t.title.clone()))
            .collect(),
        typed,
        problem: problem.map(|r| r.message),
        route,
    };
    Ok(chrome::html(status, &page))
}

/// A refusal the page itself words (a field it could not read), shown like the API's.
fn own_problem(message: &str) -> Refused {
    Refused {
        code: crate::api::Code::Validation,
        message: message.to_owned(),
        route: Vec::new(),
    }
}

/// Reads the convocation form. It is a list of pairs, since the tensions come as repeated
/// `tension` fields; every value is bounded before use and unknown fields are ignored.
fn typed_of(pairs: Vec<(String, String)>) -> (String, Typed) {
    let mut csrf = String::new();
    let mut t = Typed::default();
    let bound = |v: &str, n: usize| v.trim().chars().take(n).collect::<String>();
    for (k, v) in pairs.into_iter().take(300) {
        match k.as_str() {
            "csrf" => csrf = bound(&v, 200),
            "quoi" => t.quoi = bound(&v, 20),
            "unite" => t.unite = bound(&v, 40),
            "debut" => t.debut = bound(&v, 20),
            "duree" => t.duree = bound(&v, 10),
            "lieu" => t.lieu = bound(&v, 300),
            "domaines" => t.domaines = bound(&v, 4000),
            "tension" if t.tensions.len() < 100 => t.tensions.push(bound(&v, 40)),
            _ => {}
        }
    }
    (csrf, t)
}

/// The meeting's length in minutes, from hours as people write them ("2", "1,5", "1.5").
fn minutes_of(raw: &str) -> Option<i64> {
    let hours: f64 = raw.trim().replace(',', ".").parse().ok()?;
    if !hours.is_finite() || hours <= 0.0 || hours > 1000.0 {
        return None;
    }
    let minutes = (hours * 60.0).round() as i64;
    (minutes >= 1).then_some(minutes)
}

pub(in crate::web) async fn convene(
    visit: Visit,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    const DOC: &str = "mutation Convene($input: ConveneMeetingInput!) {
      conveneMeeting(input: $input) { meeting { id status } revision } }";
    let answer = async {
        let (csrf, typed) = typed_of(pairs);
        visit.check_form(&csrf)?;
        let me = visit.member()?;
        let lang = visit.lang();
        let p = words(lang);
        let tz = visit.tz();
        let again = |typed: Typed, message: &str| {
            render_convene(
                &visit,
                me,
                typed,
                Some(own_problem(message)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        };
        let kind = match typed.quoi.as_str() {
            "agora" => json!({ "agora": true }),
            "gouvernance" => json!({ "gouvernance": true }),
            "fonctionnement" => json!({ "fonctionnement": true }),
            "unite" => match uuid::Uuid::parse_str(&typed.unite) {
                Ok(u) => json!({ "unit": u }),
                Err(_) => return again(typed, p.missing_unit).await,
            },
            _ => return again(typed, p.missing_kind).await,
        };
        let Some(starts) = parse_local(&typed.debut, tz) else {
            return again(typed, p.bad_start).await;
        };
        let Some(minutes) = minutes_of(&typed.duree) else {
            return again(typed, p.bad_duration).await;
        };
        let ends = starts + chrono::Duration::minutes(minutes);
        let mut agenda: Vec<serde_json::Value> = typed
            .domaines
            .split(',')
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .take(200)
            .map(|d| json!({ "domain": d.chars().take(100).collect::<String>() }))
            .collect();
        agenda.extend(
            typed
                .tensions
                .iter()
                .filter_map(|t| uuid::Uuid::parse_str(t).ok())
                .map(|t| json!({ "tension": t })),
        );
        let input = json!({
            "kind": kind,
            "startsAt": starts,
            "endsAt": ends,
            "place": typed.lieu,
            "agenda": agenda,
        });
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Done {
            convene_meeting: Convened,
        }
        #[derive(Deserialize)]
        struct Convened {
            meeting: IdStatus,
        }
        #[derive(Deserialize)]
        struct IdStatus {
            id: String,
            status: String,
        }
        match gql::run::<Done>(&visit.web, Some(me), lang, DOC, json!({ "input": input })).await {
            Ok(d) => {
                let m = d.convene_meeting.meeting;
                let done = if m.status == "PETITION" {
                    "petition-ouverte"
                } else {
                    "convoquee"
                };
                let id = parse_id(&m.id)?;
                Ok(visit.redirect(&format!("/reunions/{id}?fait={done}")))
            }
            Err(r) => match PageError::from(r) {
                PageError::Refused(r) => {
                    render_convene(&visit, me, typed, Some(r), StatusCode::UNPROCESSABLE_ENTITY)
                        .await
                }
                other => Err(other),
            },
        }
    }
    .await;
    visit.answer(answer)
}

/// The instant a `datetime-local` field (`2026-07-05T18:30`, seconds optional) means in the
/// movement's time zone. A time that happens twice (when clocks go back) is the first one; a
/// time that does not exist (when clocks go forward) is `None`, for the person to pick again.
fn parse_local(raw: &str, tz: Tz) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > 19 {
        return None;
    }
    let naive = NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    if !(1900..=2200).contains(&chrono::Datelike::year(&naive)) {
        return None;
    }
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_datetime_field_means_a_time_in_the_movements_time_zone() {
        let paris = chrono_tz::Europe::Paris;
        assert_eq!(
            parse_local("2026-07-05T18:30", paris),
            Some(Utc.with_ymd_and_hms(2026, 7, 5, 16, 30, 0).unwrap())
        );
        assert_eq!(
            parse_local("2026-01-05T18:30:00", paris),
            Some(Utc.with_ymd_and_hms(2026, 1, 5, 17, 30, 0).unwrap())
        );
        // 2:30 on 29 March 2026 does not exist in Paris; 2:30 on 25 October happens twice.
        assert_eq!(parse_local("2026-03-29T02:30", paris), None);
        assert_eq!(
            parse_local("2026-10-25T02:30", paris),
            Some(Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap())
        );
        for bad in [
            "",
            "2026-07-05",
            "05/07/2026 18:30",
            "2026-13-05T18:30",
            "0001-01-01T00:00",
        ] {
            assert!(parse_local(bad, paris).is_none(), "{bad}");
        }
    }

    #[test]
    fn a_length_is_read_in_hours_as_people_write_them() {
        assert_eq!(minutes_of("2"), Some(120));
        assert_eq!(minutes_of("1,5"), Some(90));
        assert_eq!(minutes_of(" 1.25 "), Some(75));
        for bad in ["", "0", "-1", "deux", "NaN", "inf", "1e9"] {
            assert!(minutes_of(bad).is_none(), "{bad}");
        }
    }
}
