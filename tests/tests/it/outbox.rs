//! E-mail from the outbox, end to end over HTTP and SMTP, on SQLite and on PostgreSQL: a
//! convocation reaches the meeting's college, written in the convening's own transaction;
//! reminders before a mandate ends and when a report is overdue; a digest of what a member has
//! not read; one-link unsubscribing; retries, backoff and dead letters. The messages go to an
//! SMTP sink started by each test; the tests run the outbox's sender and scheduler themselves,
//! at the instants they choose.

use crate::app::{TestApp, code, first_name};
use crate::helpers::{TestDb, on_both_backends};
use crate::sinks::{Received, SmtpSink};
use chrono::{DateTime, Duration, Utc};
use governance_core::queries::Reader;
use governance_core::{MandateStatus, Movement};
use graphql_server::outbox::{self, OutboxConfig};
use graphql_server::web::Mailer;
use serde_json::{Value, json};

on_both_backends!(
    convening_a_meeting_mails_its_college_once_in_the_convening_transaction,
    r10_a_refused_convocation_queues_no_mail,
    reminders_go_to_the_holder_30_and_7_days_before_the_mandate_ends_once_each,
    r16_an_overdue_report_reminds_the_holder_and_a_referent,
    digest_lists_unread_decisions_of_followed_units_and_respects_never,
    unsubscribing_is_one_link_and_stops_digests_and_reminders,
    mail_failures_retry_with_backoff_then_become_dead_letters,
    mail_preferences_are_the_member_s_own_and_bounded,
    without_smtp_no_mail_is_queued,
    web_mes_e_mails_page_changes_the_signed_in_member_s_preferences_only,
);

const CONVENE: &str = "mutation($u: UUID!, $from: DateTime!, $to: DateTime!) { conveneMeeting(input: {kind: {unit: $u}, startsAt: $from, endsAt: $to, place: \"Local\"}) { meeting { id } } }";
const RECORD: &str =
    "mutation($input: RecordDecisionInput!) { recordDecision(input: $input) { decision { id } } }";
const OUTBOX: &str = "query($s: Status, $c: DeliveryChannel) { outbox(status: $s, channel: $c, first: 100) { key recipient status attempts lastError subject } }";
const BASE: &str = "http://gouvernail.example";

pub(crate) fn config() -> OutboxConfig {
    OutboxConfig {
        base_url: BASE.into(),
        mail: true,
        backoff: std::time::Duration::ZERO,
        max_attempts: 5,
        lease: std::time::Duration::from_secs(60),
        allow_private_hooks: true,
    }
}

fn mailer(sink: &SmtpSink) -> Mailer {
    Mailer::new(&sink.url(), "Gouvernail <gouvernail@example.org>").unwrap()
}

fn at(days: i64, hours: i64) -> String {
    (Utc::now() + Duration::days(days) + Duration::hours(hours)).to_rfc3339()
}

/// Chloé convenes the Pôle Mobilisation `days` from now, for two hours; the meeting's id.
async fn convene(app: &TestApp, pole: &str, days: i64) -> String {
    let convened = app
        .gql(
            Some("Chloé"),
            CONVENE,
            json!({"u": pole, "from": at(days, 0), "to": at(days, 2)}),
        )
        .await;
    assert_eq!(code(&convened), "OK", "{convened}");
    convened["data"]["conveneMeeting"]["meeting"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Sends everything due, as many times as needed.
async fn flush(app: &TestApp, config: &OutboxConfig, mailer: &Mailer) {
    for _ in 0..20 {
        let n = outbox::send_due(&app.store, config, Some(mailer))
            .await
            .unwrap();
        if n == 0 {
            return;
        }
    }
}

async fn movement(app: &TestApp) -> Movement {
    app.store
        .read(app.org, None)
        .await
        .unwrap()
        .movement
        .clone()
}

fn with_key<'a>(mails: &'a [Received], part: &str) -> Vec<&'a Received> {
    let part = part.replace(':', ".");
    mails
        .iter()
        .filter(|m| m.header("Message-ID").is_some_and(|id| id.contains(&part)))
        .collect()
}

fn recipients(mails: &[&Received]) -> Vec<String> {
    let mut to: Vec<String> = mails
        .iter()
        .map(|m| {
            let to = m.header("To").unwrap_or_default();
            to.trim_matches(|c| c == '<' || c == '>').to_owned()
        })
        .collect();
    to.sort();
    to
}

async fn convening_a_meeting_mails_its_college_once_in_the_convening_transaction(db: TestDb) {
    let sink = SmtpSink::start().await;
    let config = config();
    let app = TestApp::demo_outbox(db, config.clone()).await;
    let mailer = mailer(&sink);
    flush(&app, &config, &mailer).await;
    let ids = app.ids("Léo").await;
    let pole = ids.unit("Pôle Mobilisation").to_owned();
    let meeting = convene(&app, &pole, 3).await;
    // Queued with the convocation itself: before any sender ran, the rows are there.
    let queued = app
        .gql(Some("Awa"), OUTBOX, json!({"s": "PENDING", "c": "MAIL"}))
        .await;
    let pending: Vec<&Value> = queued["data"]["outbox"]
        .as_array()
        .unwrap_or_else(|| panic!("{queued}"))
        .iter()
        .filter(|d| d["key"].as_str().unwrap().contains(&meeting))
        .collect();
    let m = movement(&app).await;
    let body = m
        .meeting(uuid::Uuid::parse_str(&meeting).unwrap().into())
        .unwrap()
        .body
        .unwrap();
    let mut college: Vec<String> = m
        .college(body, Utc::now())
        .into_iter()
        .map(|id| m.member(id).unwrap().email.as_str().to_owned())
        .collect();
    college.sort();
    assert!(college.len() >= 2, "a college of several: {college:?}");
    assert_eq!(pending.len(), college.len(), "{queued}");

    flush(&app, &config, &mailer).await;
    let mails = sink.accepted();
    let convocations = with_key(&mails, &format!("mail:convened:{meeting}"));
    assert_eq!(recipients(&convocations), college);
    for mail in &convocations {
        assert!(
            mail.subject().starts_with("Convocation"),
            "{}",
            mail.subject()
        );
        let text = mail.text();
        assert!(text.contains("Vous êtes convoqué·e"), "{text}");
        assert!(text.contains(&format!("/reunions/{meeting}")), "{text}");
        assert!(text.contains(&format!("{BASE}/m/")), "{text}");
        assert!(text.contains("/desabonnement/"), "{text}");
        let unsubscribe = mail.header("List-Unsubscribe").unwrap();
        assert!(
            unsubscribe.starts_with(&format!("<{BASE}/m/")),
            "{unsubscribe}"
        );
        assert_eq!(
            mail.header("List-Unsubscribe-Post").as_deref(),
            Some("List-Unsubscribe=One-Click")
        );
    }
    // Sending again sends nothing again.
    flush(&app, &config, &mailer).await;
    assert_eq!(sink.accepted().len(), mails.len());
}

async fn r10_a_refused_convocation_queues_no_mail(db: TestDb) {
    let config = config();
    let app = TestApp::demo_outbox(db, config).await;
    let ids = app.ids("Léo").await;
    let pole = ids.unit("Pôle Mobilisation").to_owned();
    let before = app.gql(Some("Awa"), OUTBOX, json!({"c": "MAIL"})).await;
    // Léo holds nothing in the Pôle: the core refuses, and nothing may be sent in its name.
    let refused = app
        .gql(
            Some("Léo"),
            CONVENE,
            json!({"u": pole, "from": at(3, 0), "to": at(3, 2)}),
        )
        .await;
    assert_eq!(code(&refused), "NOT_ENTITLED", "{refused}");
    let too_soon = app
        .gql(
            Some("Chloé"),
            CONVENE,
            json!({"u": pole, "from": at(0, 2), "to": at(0, 4)}),
        )
        .await;
    assert_eq!(code(&too_soon), "NOTICE_TOO_SHORT", "{too_soon}");
    let after = app.gql(Some("Awa"), OUTBOX, json!({"c": "MAIL"})).await;
    assert_eq!(before["data"], after["data"]);
}

/// A mandate in force at both instants, with a holder who is a member then.
fn mandate_in_force_at(
    m: &Movement,
    instants: &[DateTime<Utc>],
) -> Option<governance_core::Mandate> {
    m.mandates()
        .iter()
        .find(|x| {
            instants
                .iter()
                .all(|t| x.status_at(*t) == MandateStatus::InForce && m.is_member_at(x.holder, *t))
        })
        .cloned()
}

async fn reminders_go_to_the_holder_30_and_7_days_before_the_mandate_ends_once_each(db: TestDb) {
    let sink = SmtpSink::start().await;
    let config = config();
    let app = TestApp::demo_outbox(db, config.clone()).await;
    let mailer = mailer(&sink);
    let m = movement(&app).await;
    // Any mandate that is in force 20 days and 3 days before its end.
    let mandate = m
        .mandates()
        .iter()
        .find(|x| {
            let end = x.effective_end();
            mandate_in_force_at(&m, &[end - Duration::days(20), end - Duration::days(3)])
                .is_some_and(|y| y.id == x.id)
        })
        .cloned()
        .expect("a mandate in force near its end");
    let end = mandate.effective_end();
    let holder = m.member(mandate.holder).unwrap().email.as_str().to_owned();
    let key = |step: u32| format!("mail:mandate-ends:{}:{step}:", mandate.id);

    outbox::run_round(&app.store, &config, end - Duration::days(20))
        .await
        .unwrap();
    outbox::run_round(&app.store, &config, end - Duration::days(19))
        .await
        .unwrap();
    flush(&app, &config, &mailer).await;
    let mails = sink.accepted();
    let thirty = with_key(&mails, &key(30));
    assert_eq!(
        recipients(&thirty),
        vec![holder.clone()],
        "one 30-day reminder"
    );
    assert!(
        thirty[0].subject().contains("se termine le"),
        "{}",
        thirty[0].subject()
    );
    assert!(
        with_key(&mails, &key(7)).is_empty(),
        "no 7-day reminder yet"
    );

    outbox::run_round(&app.store, &config, end - Duration::days(3))
        .await
        .unwrap();
    outbox::run_round(&app.store, &config, end - Duration::days(2))
        .await
        .unwrap();
    flush(&app, &config, &mailer).await;
    let mails = sink.accepted();
    assert_eq!(
        with_key(&mails, &key(30)).len(),
        1,
        "the 30-day one, still once"
    );
    let seven = with_key(&mails, &key(7));
    assert_eq!(recipients(&seven), vec![holder], "one 7-day reminder");
    assert!(
        seven[0].text().contains("dans 3 jours"),
        "{}",
        seven[0].text()
    );
}

/// Whether someone other than the holder is referent of the holder's unit or of a unit above.
fn has_other_referent(
    m: &Movement,
    d: &governance_core::account::DueReport,
    at: DateTime<Utc>,
) -> bool {
    let mut unit = m.mandate(d.mandate).map(|x| x.unit);
    while let Some(u) = unit {
        if m.referents(u, at).iter().any(|r| r.member != d.holder) {
            return true;
        }
        unit = m.unit(u).and_then(|x| x.parent);
    }
    false
}

async fn r16_an_overdue_report_reminds_the_holder_and_a_referent(db: TestDb) {
    let sink = SmtpSink::start().await;
    let config = config();
    let app = TestApp::demo_outbox(db, config.clone()).await;
    let mailer = mailer(&sink);
    let m = movement(&app).await;
    // A report owed and not rendered: its period's end plus a day is when it is overdue.
    let (due, when) = m
        .missing_reports(Utc::now() + Duration::days(400))
        .into_iter()
        .map(|d| {
            let when = d.covers.ends_at() + Duration::days(1);
            (d, when)
        })
        .find(|(d, when)| {
            m.is_member_at(d.holder, *when)
                && m.missing_reports(*when)
                    .iter()
                    .any(|x| x.mandate == d.mandate && x.covers == d.covers)
                && has_other_referent(&m, d, *when)
        })
        .expect("a report the demo leaves missing");
    outbox::run_round(&app.store, &config, when).await.unwrap();
    flush(&app, &config, &mailer).await;
    let mails = sink.accepted();
    let reminders = with_key(
        &mails,
        &format!(
            "mail:report-overdue:{}:{}:",
            due.mandate,
            due.covers.ends_at().timestamp_micros()
        ),
    );
    let holder = m.member(due.holder).unwrap().email.as_str().to_owned();
    let to = recipients(&reminders);
    assert!(to.contains(&holder), "the holder is reminded: {to:?}");
    assert!(to.len() >= 2, "and a referent too: {to:?}");
    for r in &reminders {
        assert!(
            r.subject().starts_with("Compte rendu en retard"),
            "{}",
            r.subject()
        );
    }
    // A second round the next day sends nothing more for that period.
    outbox::run_round(&app.store, &config, when + Duration::days(1))
        .await
        .unwrap();
    flush(&app, &config, &mailer).await;
    assert_eq!(
        with_key(
            &sink.accepted(),
            &format!("mail:report-overdue:{}:", due.mandate)
        )
        .len(),
        reminders.len()
    );
}

async fn record(app: &TestApp, who: &str, unit: &str, domain: &str, title: &str) -> String {
    let r = app
        .gql(
            Some(who),
            RECORD,
            json!({"input": {"unitId": unit, "domain": domain, "title": title}}),
        )
        .await;
    assert_eq!(code(&r), "OK", "{r}");
    r["data"]["recordDecision"]["decision"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn email_of(m: &Movement, first: &str) -> String {
    m.members()
        .find(|x| first_name(x.name.as_str()) == first)
        .unwrap()
        .email
        .as_str()
        .to_owned()
}

async fn digest_lists_unread_decisions_of_followed_units_and_respects_never(db: TestDb) {
    let sink = SmtpSink::start().await;
    let config = config();
    let app = TestApp::demo_outbox(db, config.clone()).await;
    let mailer = mailer(&sink);
    let ids = app.ids("Léo").await;
    let coordination = ids.unit("Coordination").to_owned();
    let read = record(
        &app,
        "Awa",
        &coordination,
        "communication externe",
        "Affiches déjà lues",
    )
    .await;
    let unread = record(
        &app,
        "Awa",
        &coordination,
        "communication externe",
        "Banderole pour la fête",
    )
    .await;
    // Julien reads the first; Léo wants no digest at all.
    let marked = app
        .gql(
            Some("Julien"),
            "mutation($d: [UUID!]!) { markRead(decisionIds: $d) }",
            json!({"d": [read]}),
        )
        .await;
    assert_eq!(code(&marked), "OK", "{marked}");
    let never = app
        .gql(
            Some("Léo"),
            "mutation { setMailPreferences(cadence: NEVER) { cadence } }",
            json!({}),
        )
        .await;
    assert_eq!(
        never["data"]["setMailPreferences"]["cadence"], "NEVER",
        "{never}"
    );

    let now = Utc::now() + Duration::minutes(1);
    outbox::run_round(&app.store, &config, now).await.unwrap();
    flush(&app, &config, &mailer).await;
    let m = movement(&app).await;
    let mails = sink.accepted();
    let digests = with_key(&mails, "mail:digest:");
    let to_julien: Vec<&&Received> = digests
        .iter()
        .filter(|d| d.header("To").unwrap().contains(&email_of(&m, "Julien")))
        .collect();
    assert_eq!(
        to_julien.len(),
        1,
        "Julien (no mandate: every unit) gets one digest"
    );
    let text = to_julien[0].text();
    assert!(text.contains("Banderole pour la fête"), "{text}");
    assert!(text.contains(&format!("/decisions/{unread}")), "{text}");
    assert!(
        !text.contains("Affiches déjà lues"),
        "R11: what he read is left out: {text}"
    );
    assert!(
        digests
            .iter()
            .all(|d| !d.header("To").unwrap().contains(&email_of(&m, "Léo"))),
        "Léo chose never"
    );
    // Only members read the digest's decisions, and each digest only what its reader may see.
    for d in &digests {
        let to = d.header("To").unwrap();
        let member = m.members().find(|x| to.contains(x.email.as_str())).unwrap();
        assert!(m.is_member_at(member.id, now));
        assert!(m.readable_decisions(Reader::Member(member.id), now).count() > 0);
    }
    // The next round, an hour later, is within the week: no second digest.
    outbox::run_round(&app.store, &config, now + Duration::hours(1))
        .await
        .unwrap();
    flush(&app, &config, &mailer).await;
    assert_eq!(
        with_key(&sink.accepted(), "mail:digest:").len(),
        digests.len()
    );
}

/// The one-click link in a message, as a path on the test server.
fn unsubscribe_path(mail: &Received) -> String {
    let header = mail.header("List-Unsubscribe").unwrap();
    header
        .trim_matches(|c| c == '<' || c == '>')
        .strip_prefix(BASE)
        .unwrap()
        .to_owned()
}

async fn unsubscribing_is_one_link_and_stops_digests_and_reminders(db: TestDb) {
    let sink = SmtpSink::start().await;
    let config = config();
    let app = TestApp::demo_outbox(db, config.clone()).await;
    let mailer = mailer(&sink);
    let ids = app.ids("Léo").await;
    let coordination = ids.unit("Coordination").to_owned();
    record(
        &app,
        "Awa",
        &coordination,
        "communication externe",
        "Tracts du marché",
    )
    .await;
    // Now, not later: the decision recorded after this round must fall in the next digest.
    let now = Utc::now();
    outbox::run_round(&app.store, &config, now).await.unwrap();
    flush(&app, &config, &mailer).await;
    let m = movement(&app).await;
    let julien = email_of(&m, "Julien");
    let mails = sink.accepted();
    let digest = with_key(&mails, "mail:digest:")
        .into_iter()
        .find(|d| d.header("To").unwrap().contains(&julien))
        .expect("a digest for Julien");
    let path = unsubscribe_path(digest);
    assert!(
        digest.text().contains(&format!("{BASE}{path}")),
        "the same link in the text"
    );

    let http = reqwest::Client::new();
    // Following the link shows a button; a scanner that only fetches unsubscribes no one.
    let page = http
        .get(format!("http://{}{path}", app.addr))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200, "{path}");
    let html = page.text().await.unwrap();
    assert!(html.contains("Ne plus recevoir d"), "{html}");
    assert!(
        html.contains(&format!("<form method=\"post\" action=\"{path}\">")),
        "{html}"
    );
    let prefs = "query { mailPreferences { cadence reminders } }";
    let still = app.gql(Some("Julien"), prefs, json!({})).await;
    assert_eq!(
        still["data"]["mailPreferences"]["cadence"], "WEEKLY",
        "{still}"
    );
    // The mail client's one-click POST (RFC 8058).
    let done = http
        .post(format!("http://{}{path}", app.addr))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 200);
    let after = app.gql(Some("Julien"), prefs, json!({})).await;
    assert_eq!(
        after["data"]["mailPreferences"],
        json!({"cadence": "NEVER", "reminders": false})
    );
    // A week later, no digest for Julien; others still get theirs.
    record(
        &app,
        "Awa",
        &coordination,
        "communication externe",
        "Tracts de la rentrée",
    )
    .await;
    outbox::run_round(&app.store, &config, now + Duration::days(8))
        .await
        .unwrap();
    flush(&app, &config, &mailer).await;
    let digests = with_key(&sink.accepted(), "mail:digest:").len();
    let to_julien = with_key(&sink.accepted(), "mail:digest:")
        .into_iter()
        .filter(|d| d.header("To").unwrap().contains(&julien))
        .count();
    assert_eq!(to_julien, 1, "still only the first one");
    assert!(digests > 1, "the others still get theirs");
    // A made-up key, or one of the wrong shape, unsubscribes no one and says so.
    for bad in [&"ab".repeat(32)[..], "nope", &"zz".repeat(32)[..]] {
        let r = http
            .post(format!("http://{}/desabonnement/{bad}", app.addr))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{bad}");
    }
}

async fn mail_failures_retry_with_backoff_then_become_dead_letters(db: TestDb) {
    let sink = SmtpSink::start().await;
    let mut config = config();
    config.max_attempts = 3;
    let app = TestApp::demo_outbox(db, config.clone()).await;
    let mailer = mailer(&sink);
    flush(&app, &config, &mailer).await;
    let ids = app.ids("Léo").await;
    let pole = ids.unit("Pôle Mobilisation").to_owned();
    // Two refusals, then acceptance: sent once, on the third attempt.
    let meeting = convene(&app, &pole, 3).await;
    let queued = app
        .gql(Some("Awa"), OUTBOX, json!({"s": "PENDING", "c": "MAIL"}))
        .await;
    let n = queued["data"]["outbox"].as_array().unwrap().len();
    sink.refuse_next(2 * n);
    for _ in 0..3 {
        outbox::send_due(&app.store, &config, Some(&mailer))
            .await
            .unwrap();
    }
    let sent = app
        .gql(Some("Awa"), OUTBOX, json!({"s": "SENT", "c": "MAIL"}))
        .await;
    let sent: Vec<&Value> = sent["data"]["outbox"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["key"].as_str().unwrap().contains(&meeting))
        .collect();
    assert_eq!(sent.len(), n);
    assert!(sent.iter().all(|d| d["attempts"] == 3), "{sent:?}");
    assert_eq!(with_key(&sink.accepted(), &meeting).len(), n, "each once");

    // Past the last attempt, the message is a dead letter the Coordination can read.
    let second = convene(&app, &pole, 4).await;
    sink.refuse_next(1000);
    for _ in 0..5 {
        outbox::send_due(&app.store, &config, Some(&mailer))
            .await
            .unwrap();
    }
    let pending = app
        .gql(Some("Awa"), OUTBOX, json!({"s": "PENDING", "c": "MAIL"}))
        .await;
    assert!(
        pending["data"]["outbox"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| !d["key"].as_str().unwrap().contains(&second)),
        "{pending}"
    );
    let dead = app
        .gql(
            Some("Awa"),
            "query { deadLetters(channel: MAIL) { key attempts lastError status } }",
            json!({}),
        )
        .await;
    let dead: Vec<&Value> = dead["data"]["deadLetters"]
        .as_array()
        .unwrap_or_else(|| panic!("{dead}"))
        .iter()
        .filter(|d| d["key"].as_str().unwrap().contains(&second))
        .collect();
    assert!(!dead.is_empty());
    for d in dead {
        assert_eq!(d["status"], "DEAD");
        assert!(d["lastError"].as_str().unwrap().contains("451"), "{d}");
    }
    assert!(with_key(&sink.accepted(), &second).is_empty());

    // A backoff that is not zero: a failed message waits before its next attempt.
    let mut slow = config.clone();
    slow.backoff = std::time::Duration::from_secs(3600);
    convene(&app, &pole, 5).await;
    let first_try = outbox::send_due(&app.store, &slow, Some(&mailer))
        .await
        .unwrap();
    assert!(first_try > 0);
    assert_eq!(
        outbox::send_due(&app.store, &slow, Some(&mailer))
            .await
            .unwrap(),
        0,
        "waiting"
    );
}

async fn mail_preferences_are_the_member_s_own_and_bounded(db: TestDb) {
    let app = TestApp::demo_outbox(db, config()).await;
    let ids = app.ids("Léo").await;
    let pole = ids.unit("Pôle Mobilisation").to_owned();
    let set = "mutation($u: [UUID!]) { setMailPreferences(cadence: DAILY, reminders: false, followedUnitIds: $u) { cadence reminders followedUnitIds effectiveUnitIds } }";
    let mine = app.gql(Some("Léo"), set, json!({"u": [pole]})).await;
    assert_eq!(code(&mine), "OK", "{mine}");
    assert_eq!(
        mine["data"]["setMailPreferences"]["effectiveUnitIds"],
        json!([pole])
    );
    // Julien's stay the defaults.
    let julien = app
        .gql(
            Some("Julien"),
            "query { mailPreferences { cadence reminders followedUnitIds } }",
            json!({}),
        )
        .await;
    assert_eq!(
        julien["data"]["mailPreferences"],
        json!({"cadence": "WEEKLY", "reminders": true, "followedUnitIds": null})
    );
    // No one outside, no unit that does not exist, no unbounded list.
    let outsider = app
        .gql(None, "query { mailPreferences { cadence } }", json!({}))
        .await;
    assert_eq!(code(&outsider), "UNAUTHENTICATED", "{outsider}");
    let unknown = app
        .gql(Some("Léo"), set, json!({"u": [uuid::Uuid::new_v4()]}))
        .await;
    assert_eq!(code(&unknown), "VALIDATION", "{unknown}");
    let many: Vec<String> = (0..201).map(|_| pole.clone()).collect();
    let too_many = app.gql(Some("Léo"), set, json!({"u": many})).await;
    assert_eq!(code(&too_many), "LIMIT_EXCEEDED", "{too_many}");
    let after = app
        .gql(
            Some("Léo"),
            "query { mailPreferences { cadence reminders } }",
            json!({}),
        )
        .await;
    assert_eq!(
        after["data"]["mailPreferences"],
        json!({"cadence": "DAILY", "reminders": false}),
        "refused changes change nothing"
    );
}

async fn without_smtp_no_mail_is_queued(db: TestDb) {
    let mut config = config();
    config.mail = false;
    let app = TestApp::demo_outbox(db, config.clone()).await;
    let ids = app.ids("Léo").await;
    let pole = ids.unit("Pôle Mobilisation").to_owned();
    convene(&app, &pole, 3).await;
    outbox::run_round(&app.store, &config, Utc::now() + Duration::days(30))
        .await
        .unwrap();
    let queued = app.gql(Some("Awa"), OUTBOX, json!({"c": "MAIL"})).await;
    assert_eq!(queued["data"]["outbox"], json!([]), "{queued}");
}

async fn web_mes_e_mails_page_changes_the_signed_in_member_s_preferences_only(db: TestDb) {
    use crate::web::{Browser, csrf};
    let app = TestApp::demo_outbox(db, config()).await;
    let mut outsider = Browser::new(&app);
    let page = outsider.get("/preferences").await;
    assert_ne!(page.status, 200, "signing in comes first");
    let mut b = Browser::new(&app);
    b.sign_in(&app, "leo@tilleuls.example").await;
    let page = b.get("/preferences").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Mes e-mails"), "{}", page.body);
    assert!(
        page.body.contains(r#"value="WEEKLY" checked"#),
        "{}",
        page.body
    );
    // A forged form (no CSRF token) changes nothing.
    let forged = b.post("/preferences", &[("cadence", "NEVER")]).await;
    assert_ne!(forged.status, 303, "{}", forged.body);
    // Unchecking reminders and choosing daily.
    let saved = b
        .post(
            "/preferences",
            &[("csrf", &csrf(&page.body)), ("cadence", "DAILY")],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let after = b.get("/preferences?ok=1").await;
    assert!(
        after.body.contains("Vos préférences sont enregistrées"),
        "{}",
        after.body
    );
    assert!(
        after.body.contains(r#"value="DAILY" checked"#),
        "{}",
        after.body
    );
    let leo = app
        .gql(
            Some("Léo"),
            "query { mailPreferences { cadence reminders } }",
            json!({}),
        )
        .await;
    assert_eq!(
        leo["data"]["mailPreferences"],
        json!({"cadence": "DAILY", "reminders": false})
    );
    let julien = app
        .gql(
            Some("Julien"),
            "query { mailPreferences { cadence reminders } }",
            json!({}),
        )
        .await;
    assert_eq!(
        julien["data"]["mailPreferences"],
        json!({"cadence": "WEEKLY", "reminders": true})
    );
}
