//! Calendar feeds over HTTP (iCalendar, RFC 5545), on SQLite and on PostgreSQL: a member makes a
//! private key through the API, and calendar applications fetch `/m/{slug}/calendar/{key}.ics`
//! and a unit's `/calendar/{key}/unit/{id}.ics` with no header. Every feed is parsed by an
//! independent parser (the `icalendar` crate; the server writes its own), and the promises are
//! tested as attacks: an old, wrong or foreign key opens nothing, hostile texts make no event,
//! UIDs stay put while SEQUENCE grows when a date moves, and an unchanged feed is byte-identical.

use crate::app::{TestApp, code};
use crate::helpers::{TestDb, on_both_backends};
use crate::movements::found_other;
use icalendar::{Calendar, CalendarComponent, Component};
use serde_json::{Value, json};

on_both_backends!(
    calendar_member_feed_lists_mandate_end,
    calendar_feed_parses_with_independent_parser,
    calendar_uid_stable_and_sequence_increases_when_mandate_end_moves,
    calendar_regenerated_key_kills_old_url,
    calendar_wrong_key_is_404_and_leaks_nothing,
    r17_calendar_unit_feed_refuses_key_of_another_movement,
    calendar_escapes_hostile_titles,
    calendar_two_fetches_are_identical,
    calendar_fetches_are_rate_limited_per_address,
);

const REGENERATE: &str =
    "mutation { regenerateCalendarKey { key memberFeedUrl unitFeeds { unitId unitName url } } }";

/// The server's public address in the test app (the default `--base-url`).
const BASE: &str = "http://127.0.0.1:8080";

/// A new key for `who`: the key, their feed's path, and each unit's feed path by unit name.
struct Key {
    key: String,
    member: String,
    units: Vec<(String, String, String)>,
}

impl Key {
    fn unit(&self, name: &str) -> &str {
        &self
            .units
            .iter()
            .find(|(_, n, _)| n == name)
            .unwrap_or_else(|| panic!("no feed for {name}"))
            .2
    }
}

async fn regenerate(app: &TestApp, who: &str) -> Key {
    let answer = app.gql(Some(who), REGENERATE, json!({})).await;
    assert_eq!(code(&answer), "OK", "{answer}");
    let k = &answer["data"]["regenerateCalendarKey"];
    let path = |url: &str| -> String {
        url.strip_prefix(BASE)
            .unwrap_or_else(|| panic!("{url} starts with the public address"))
            .to_owned()
    };
    let key = k["key"].as_str().unwrap().to_owned();
    let member = path(k["memberFeedUrl"].as_str().unwrap());
    assert!(member.starts_with("/m/"), "{member}");
    assert!(
        member.ends_with(&format!("/calendar/{key}.ics")),
        "{member}"
    );
    let units = k["unitFeeds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["unitId"].as_str().unwrap().to_owned(),
                u["unitName"].as_str().unwrap().to_owned(),
                path(u["url"].as_str().unwrap()),
            )
        })
        .collect();
    Key { key, member, units }
}

/// A GET with no header at all, as a calendar application sends it.
async fn fetch(app: &TestApp, path: &str) -> (u16, String, String, String) {
    let r = reqwest::get(format!("http://{}{path}", app.addr))
        .await
        .unwrap();
    let status = r.status().as_u16();
    let header = |name: &str| {
        r.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let (ct, cache) = (header("content-type"), header("cache-control"));
    (status, ct, cache, r.text().await.unwrap())
}

async fn feed(app: &TestApp, path: &str) -> String {
    let (status, ct, cache, body) = fetch(app, path).await;
    assert_eq!(status, 200, "{path}: {body}");
    assert_eq!(ct, "text/calendar; charset=utf-8");
    assert!(cache.starts_with("private"), "{cache}");
    body
}

/// One event as the independent parser read it.
#[derive(Debug, Clone)]
struct Ev {
    uid: String,
    summary: String,
    start: String,
    sequence: String,
    status: String,
    location: Option<String>,
    description: Option<String>,
}

/// Parses a feed with the `icalendar` crate, and checks the framing RFC 5545 asks for: CRLF
/// line ends, lines of at most 75 octets, as many events parsed as `BEGIN:VEVENT` lines.
fn parse(body: &str) -> Vec<Ev> {
    assert!(body.starts_with("BEGIN:VCALENDAR\r\n"), "{body}");
    assert!(body.ends_with("END:VCALENDAR\r\n"), "{body}");
    for line in body.split("\r\n") {
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "bare line break in {line:?}"
        );
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    let calendar: Calendar = body.parse().unwrap_or_else(|e| panic!("{e}: {body}"));
    let events: Vec<Ev> = calendar
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .map(|e| {
            let prop = |name: &str| e.property_value(name).map(str::to_owned);
            Ev {
                uid: prop("UID").expect("a UID"),
                summary: prop("SUMMARY").expect("a SUMMARY"),
                start: prop("DTSTART").expect("a DTSTART"),
                sequence: prop("SEQUENCE").expect("a SEQUENCE"),
                status: prop("STATUS").expect("a STATUS"),
                location: prop("LOCATION"),
                description: prop("DESCRIPTION"),
            }
        })
        .collect();
    let raw = body.split("\r\n").filter(|l| *l == "BEGIN:VEVENT").count();
    assert_eq!(events.len(), raw, "{body}");
    for e in &events {
        assert!(prop_present(body, &e.uid), "{e:?}");
    }
    events
}

fn prop_present(body: &str, uid: &str) -> bool {
    body.replace("\r\n ", "")
        .contains(&format!("UID:{uid}\r\n"))
}

/// `2026-07-10T00:00:00Z` as iCalendar writes it: `20260710T000000Z`.
fn ical_utc(iso: &str) -> String {
    let at: chrono::DateTime<chrono::Utc> = iso.parse().unwrap();
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

fn by_uid<'a>(events: &'a [Ev], uid: &str) -> &'a Ev {
    events
        .iter()
        .find(|e| e.uid == uid)
        .unwrap_or_else(|| panic!("no event {uid} in {events:#?}"))
}

/// Karima's feed shows the end of her mandate at its end, in French, and the account report
/// she has not rendered; the feed names what the API names.
async fn calendar_member_feed_lists_mandate_end(db: TestDb) {
    let app = TestApp::demo(db).await;
    let key = regenerate(&app, "Karima").await;
    let events = parse(&feed(&app, &key.member).await);
    let me = app
        .gql(
            Some("Karima"),
            "{ me { id mandates { id endsAt unit { name } } } }",
            json!({}),
        )
        .await;
    let mandates = me["data"]["me"]["mandates"].as_array().unwrap();
    assert!(!mandates.is_empty(), "{me}");
    for m in mandates {
        let e = by_uid(
            &events,
            &format!("mandate-end-{}@gouvernail", m["id"].as_str().unwrap()),
        );
        assert_eq!(e.start, ical_utc(m["endsAt"].as_str().unwrap()));
        assert_eq!(
            e.summary,
            format!(
                "Fin du mandat : référent·e — {}",
                m["unit"]["name"].as_str().unwrap()
            )
        );
        assert_eq!(e.sequence, "0");
    }
    // Every report the API says she owes and has not rendered is in her calendar (R16).
    let missing = app
        .gql(
            Some("Karima"),
            "{ missingReports { mandateId holderName coversUntil } }",
            json!({}),
        )
        .await;
    let hers: Vec<&Value> = missing["data"]["missingReports"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["holderName"].as_str().unwrap().starts_with("Karima"))
        .collect();
    assert!(
        !hers.is_empty(),
        "the demo has a report missing for Karima: {missing}"
    );
    for r in hers {
        let until = ical_utc(r["coversUntil"].as_str().unwrap());
        let uid = format!(
            "report-{}-{until}@gouvernail",
            r["mandateId"].as_str().unwrap()
        );
        let e = by_uid(&events, &uid);
        assert!(e.summary.starts_with("Compte rendu à rendre"), "{e:?}");
        assert!(
            e.description.as_deref().unwrap().contains("En retard"),
            "{e:?}"
        );
        assert_eq!(e.start, until);
    }
    // Someone else's mandates are not in her feed.
    let awa = app
        .gql(Some("Awa"), "{ me { mandates { id } } }", json!({}))
        .await;
    for m in awa["data"]["me"]["mandates"].as_array().unwrap() {
        let uid = format!("mandate-end-{}@gouvernail", m["id"].as_str().unwrap());
        assert!(
            events.iter().all(|e| e.uid != uid),
            "Awa's mandate in Karima's feed"
        );
    }
    // The Agora's meetings are every member's.
    assert!(events.iter().any(|e| e.summary == "Agora"), "{events:#?}");
}

/// Every feed the demo offers, the member's and each unit's, parses with an independent parser,
/// with unique UIDs and each event stamped, started and sequenced.
async fn calendar_feed_parses_with_independent_parser(db: TestDb) {
    let app = TestApp::demo(db).await;
    let key = regenerate(&app, "Chloé").await;
    let mut total = 0;
    let mut paths = vec![key.member.clone()];
    paths.extend(key.units.iter().map(|u| u.2.clone()));
    for path in &paths {
        let body = feed(&app, path).await;
        let events = parse(&body);
        let mut uids: Vec<&str> = events.iter().map(|e| e.uid.as_str()).collect();
        uids.sort();
        uids.dedup();
        assert_eq!(uids.len(), events.len(), "UIDs are unique in {path}");
        assert!(body.contains("\r\nDTSTAMP:"), "{body}");
        total += events.len();
    }
    assert!(total > 10, "the demo's feeds hold {total} events");
    // The Coordination holds the Fonctionnement meetings: its feed says when the next is due.
    let coordination = parse(&feed(&app, key.unit("Coordination")).await);
    assert!(
        coordination
            .iter()
            .any(|e| e.summary == "Réunion de Fonctionnement à tenir"),
        "{coordination:#?}"
    );
}

/// A revocation moves the end of Djamel's mandate: the event keeps its UID, its SEQUENCE grows
/// and its date is the revocation's, so a calendar updates it in place.
async fn calendar_uid_stable_and_sequence_increases_when_mandate_end_moves(db: TestDb) {
    let app = TestApp::demo(db).await;
    let ids = app.ids("Awa").await;
    let key = regenerate(&app, "Djamel").await;
    let renewal = ids.mandate("Djamel@Comité Porte-à-porte").to_owned();
    let uid = format!("mandate-end-{renewal}@gouvernail");
    let before = parse(&feed(&app, &key.member).await);
    let was = by_uid(&before, &uid).clone();
    assert_eq!(was.sequence, "0");
    let revoked = app
        .gql(Some("Chloé"), "mutation($u: UUID!, $m: UUID!) { recordDecision(input: {unitId: $u, domain: \"mandats\", title: \"Fin du mandat tournées\", effects: [{revokeMandate: $m}]}) { decision { decidedAt } } }",
            json!({"u": ids.unit("Pôle Mobilisation"), "m": renewal}))
        .await;
    assert_eq!(code(&revoked), "OK", "{revoked}");
    let at = revoked["data"]["recordDecision"]["decision"]["decidedAt"]
        .as_str()
        .unwrap();
    let after = parse(&feed(&app, &key.member).await);
    let now = by_uid(&after, &uid);
    assert_eq!(now.sequence, "1", "{now:?}");
    assert_eq!(now.start, ical_utc(at));
    assert!(
        now.start < was.start,
        "the end moved earlier: {was:?} → {now:?}"
    );
    assert!(now.summary.contains("révoqué"), "{now:?}");
    // His other mandates' ends kept their UIDs. (Reports due after the revocation are owed no
    // more, and the Pôle's meetings leave his feed: he no longer sits in its college.)
    for e in before.iter().filter(|e| e.uid.starts_with("mandate-end-")) {
        assert!(after.iter().any(|a| a.uid == e.uid), "{e:?} vanished");
    }
    assert!(
        after
            .iter()
            .all(|e| e.summary != "Réunion : Pôle Mobilisation"),
        "{after:#?}"
    );
}

/// A new key kills the old address at once; the API says a key exists, never which.
async fn calendar_regenerated_key_kills_old_url(db: TestDb) {
    let app = TestApp::demo(db).await;
    let feeds = "{ calendarFeeds { hasKey keyCreatedAt } }";
    let none = app.gql(Some("Awa"), feeds, json!({})).await;
    assert_eq!(none["data"]["calendarFeeds"]["hasKey"], false, "{none}");
    let first = regenerate(&app, "Awa").await;
    feed(&app, &first.member).await;
    feed(&app, first.unit("Coordination")).await;
    let second = regenerate(&app, "Awa").await;
    assert_ne!(first.key, second.key);
    for old in [&first.member, first.unit("Coordination")] {
        let (status, _, _, body) = fetch(&app, old).await;
        assert_eq!(status, 404, "the old address still works: {body}");
    }
    feed(&app, &second.member).await;
    let has = app.gql(Some("Awa"), feeds, json!({})).await;
    assert_eq!(has["data"]["calendarFeeds"]["hasKey"], true, "{has}");
    assert!(
        !has.to_string().contains(&second.key),
        "the key is shown once only"
    );
    // Outsiders have no key to make.
    let outsider = app.gql(None, REGENERATE, json!({})).await;
    assert_eq!(code(&outsider), "UNAUTHENTICATED", "{outsider}");
}

/// A guessed, malformed or truncated key gets the same 404 as any other, in plain text, naming
/// no one.
async fn calendar_wrong_key_is_404_and_leaks_nothing(db: TestDb) {
    let app = TestApp::demo(db).await;
    let key = regenerate(&app, "Awa").await;
    let root = key.member.split("/calendar/").next().unwrap().to_owned();
    let unit = &key.units[0].0;
    let guessed = "0".repeat(64);
    let attempts = [
        format!("{root}/calendar/{guessed}.ics"),
        format!("/calendar/{guessed}.ics"),
        format!("{root}/calendar/{}.ics", &key.key[..63]),
        format!("{root}/calendar/{}", key.key),
        format!(
            "{root}/calendar/{}.ics",
            key.key.to_uppercase().replace(char::is_numeric, "z")
        ),
        format!("{root}/calendar/{guessed}/unit/{unit}.ics"),
        format!("{root}/calendar/{}/unit/not-a-unit.ics", key.key),
        format!(
            "{root}/calendar/{}/unit/{}.ics",
            key.key,
            uuid::Uuid::now_v7()
        ),
        format!("{root}/calendar/%27%20OR%201=1.ics"),
    ];
    let mut bodies = Vec::new();
    for path in &attempts {
        let (status, ct, _, body) = fetch(&app, path).await;
        assert_eq!(status, 404, "{path}: {body}");
        assert_eq!(ct, "text/plain; charset=utf-8", "{path}");
        assert!(!body.contains("Awa") && !body.contains("BEGIN:"), "{body}");
        bodies.push(body);
    }
    bodies.dedup();
    assert_eq!(
        bodies.len(),
        1,
        "one answer for every wrong address: {bodies:?}"
    );
    assert!(
        bodies[0].contains("Calendrier introuvable"),
        "{}",
        bodies[0]
    );
}

/// A key belongs to one movement: under another movement's prefix, with its own units or with
/// the other's, it opens nothing (R17: there are no outsider keys).
async fn r17_calendar_unit_feed_refuses_key_of_another_movement(db: TestDb) {
    let app = TestApp::demo(db).await;
    let other = found_other(&app, "Jardin partagé", &["Zoé Martin <zoe@jardin.example>"]).await;
    let key = regenerate(&app, "Awa").await;
    let (_, units) = crate::movements::post(
        &app,
        &format!("/m/{}/graphql", other.slug),
        Some(&other.tokens["Zoé"]),
        "{ units { id name } }",
        json!({}),
    )
    .await;
    let their_unit = units["data"]["units"][0]["id"].as_str().unwrap().to_owned();
    let root = key.member.split("/calendar/").next().unwrap().to_owned();
    let (our_unit, _, _) = &key.units[0];
    let elsewhere = format!("/m/{}", other.slug);
    for path in [
        format!("{elsewhere}/calendar/{}.ics", key.key),
        format!("{elsewhere}/calendar/{}/unit/{their_unit}.ics", key.key),
        format!("{elsewhere}/calendar/{}/unit/{our_unit}.ics", key.key),
        format!("{root}/calendar/{}/unit/{their_unit}.ics", key.key),
    ] {
        let (status, _, _, body) = fetch(&app, &path).await;
        assert_eq!(status, 404, "{path}: {body}");
    }
    // The same key still opens its own movement's unit.
    feed(
        &app,
        &format!("{root}/calendar/{}/unit/{our_unit}.ics", key.key),
    )
    .await;
}

/// A meeting whose place carries iCalendar's separators and a forged `END:VEVENT BEGIN:VEVENT`
/// comes out as one event whose place reads back exactly as typed.
async fn calendar_escapes_hostile_titles(db: TestDb) {
    let app = TestApp::demo(db).await;
    let ids = app.ids("Awa").await;
    let place = "Salle; B, 2e étage \\ END:VEVENT BEGIN:VEVENT UID:piege@x SUMMARY:Piège";
    let starts = chrono::Utc::now() + chrono::Duration::days(3);
    let convened = app
        .gql(Some("Chloé"), "mutation($u: UUID!, $s: DateTime!, $e: DateTime!, $p: String!) { conveneMeeting(input: {kind: {unit: $u}, startsAt: $s, endsAt: $e, place: $p}) { meeting { id } } }",
            json!({"u": ids.unit("Pôle Mobilisation"), "s": starts.to_rfc3339(), "e": (starts + chrono::Duration::hours(2)).to_rfc3339(), "p": place}))
        .await;
    assert_eq!(code(&convened), "OK", "{convened}");
    let meeting = convened["data"]["conveneMeeting"]["meeting"]["id"]
        .as_str()
        .unwrap();
    let key = regenerate(&app, "Chloé").await;
    for path in [key.member.as_str(), key.unit("Pôle Mobilisation")] {
        let body = feed(&app, path).await;
        let events = parse(&body);
        assert!(events.iter().all(|e| !e.uid.contains("piege")), "{body}");
        let e = by_uid(&events, &format!("meeting-{meeting}@gouvernail"));
        assert_eq!(e.location.as_deref(), Some(place), "{body}");
        assert_eq!(e.status, "CONFIRMED");
        assert!(
            body.contains("LOCATION:Salle\\; B\\, 2e étage \\\\ END:VEVENT"),
            "{body}"
        );
    }
}

/// Two fetches of an unchanged feed are the same bytes: nothing in it comes from the clock.
async fn calendar_two_fetches_are_identical(db: TestDb) {
    let app = TestApp::demo(db).await;
    let key = regenerate(&app, "Awa").await;
    for path in [
        key.member.as_str(),
        key.unit("Coordination"),
        key.unit("Agora"),
    ] {
        let first = feed(&app, path).await;
        tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
        let second = feed(&app, path).await;
        assert_eq!(first, second, "{path}");
    }
}

/// Fetching feeds counts against the per-address limit, as `/graphql` does: past it, 429 with
/// `Retry-After`, before any key is looked up.
async fn calendar_fetches_are_rate_limited_per_address(db: TestDb) {
    let limits = graphql_server::http::HttpLimits {
        per_ip_per_minute: 4,
        ..Default::default()
    };
    let app = TestApp::demo_with(db, limits).await;
    let key = regenerate(&app, "Awa").await;
    for _ in 0..4 {
        feed(&app, &key.member).await;
    }
    let r = reqwest::get(format!("http://{}{}", app.addr, key.member))
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 429);
    assert_eq!(r.headers()["retry-after"], "60");
    assert!(!r.text().await.unwrap().contains("BEGIN:"));
}
