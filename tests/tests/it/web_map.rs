//! The pages *Qui décide quoi* (/carte) and *Coordination* (/coordination) from outside, as a
//! browser without JavaScript reads them, over the demo movement: the map at a past date shows
//! who held a domain then (R15), a domain nobody holds shows where its decisions go, the power
//! chart draws one bar per holder (R18), an escalation has its own page (R9), and an outsider
//! is sent to sign in (R17).

use crate::app::TestApp;
use crate::helpers::{TestDb, on_both_backends};
use chrono::{Datelike, Months, NaiveDate, Utc};
use governance_core::messages::{Lang, ui};
use serde_json::json;
use std::time::Duration;

on_both_backends!(
    r15_web_map_at_a_past_date_shows_the_holder_of_that_time,
    r15_web_map_shows_where_an_unheld_domain_goes,
    r15_web_map_with_a_malformed_date_says_so_and_shows_today,
    r17_web_outsider_is_sent_to_sign_in_from_map_and_coordination,
    r18_web_coordination_draws_one_bar_per_holder,
    r9_web_coordination_links_each_escalation_to_its_proposal,
);

/// Pages heavier than this would be slow on a phone over a poor connection.
const MAX_PAGE_BYTES: usize = 60 * 1024;

/// A day of the demo's story ("2026-04-15"), moved as the demo server moved it (whole months,
/// so that the story's "today" is the 15th of this month or of the previous one).
fn story_day(day: &str) -> NaiveDate {
    let shift = governance_core::demo::months_to(Utc::now());
    NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap() + Months::new(shift)
}

/// A browser signed in as one member: it keeps the session cookie and follows nothing by
/// itself.
struct Reader {
    base: String,
    client: reqwest::Client,
    cookie: String,
}

impl Reader {
    fn outsider(app: &TestApp) -> Self {
        Self {
            base: format!("http://{}", app.addr),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookie: String::new(),
        }
    }

    async fn member(app: &TestApp, first_name: &str) -> Self {
        let mut me = Self::outsider(app);
        let ids = app.ids("Awa").await;
        let member = governance_core::MemberId::from_uuid(
            uuid::Uuid::parse_str(ids.member(first_name)).unwrap(),
        );
        let link = graphql_server::web::issue_link(
            &app.store,
            app.org,
            member,
            &me.base,
            Duration::from_secs(600),
        )
        .await
        .unwrap();
        let answer = me.client.get(&link).send().await.unwrap();
        assert_eq!(answer.status().as_u16(), 303, "the link opens a session");
        me.cookie = answer
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|c| c.to_str().unwrap().split(';').next().unwrap().to_owned())
            .collect::<Vec<_>>()
            .join("; ");
        me
    }

    /// The status, the `Location` header and the body of a GET.
    async fn get(&self, path: &str) -> (u16, Option<String>, String) {
        let mut req = self
            .client
            .get(format!("{}{path}", self.base))
            .header("accept-language", "fr");
        if !self.cookie.is_empty() {
            req = req.header("cookie", &self.cookie);
        }
        let answer = req.send().await.unwrap();
        let status = answer.status().as_u16();
        let location = answer
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned());
        (status, location, answer.text().await.unwrap())
    }

    /// A page that must answer 200 and stay light.
    async fn page(&self, path: &str) -> String {
        let (status, _, body) = self.get(path).await;
        assert_eq!(status, 200, "{path}: {body}");
        assert!(
            body.len() < MAX_PAGE_BYTES,
            "{path} weighs {} bytes",
            body.len()
        );
        body
    }
}

/// The map's row of `domain` in the section of `unit`, as text between its tags.
fn row(page: &str, unit: &str, domain: &str) -> String {
    let section = page
        .split("<section class=\"map-unit\"")
        .find(|s| s.contains(&format!(">{unit} <")))
        .unwrap_or_else(|| panic!("no section for {unit}"));
    let start = section
        .find(&format!("<th scope=\"row\">{domain}</th>"))
        .unwrap_or_else(|| panic!("no row for {domain} in {unit}"));
    let end = section[start..].find("</tr>").unwrap() + start;
    section[start..end].replace("&#39;", "'")
}

fn french_day(d: NaiveDate) -> String {
    ui::day(Lang::Fr, d.year(), d.month(), d.day())
}

async fn r15_web_map_at_a_past_date_shows_the_holder_of_that_time(db: TestDb) {
    let app = TestApp::demo(db).await;
    let leo = Reader::member(&app, "Léo").await;
    // Before the Coordination revoked Fatou's mandate (story: 2026-04-20), she held the
    // Pôle Finances' expenses; today Gaspard does.
    let before = story_day("2026-04-15");
    let page = leo.page(&format!("/carte?date={before}")).await;
    let then = row(&page, "Pôle Finances et Logistique", "dépenses");
    assert!(then.contains("Fatou Ndiaye (titulaire)"), "{then}");
    assert!(!then.contains("Gaspard"), "{then}");
    assert!(page.contains(&format!("Carte au {}", french_day(before))));
    assert!(
        page.contains(&format!("value=\"{before}\"")),
        "the field keeps the day"
    );

    let today = leo.page("/carte").await;
    let now = row(&today, "Pôle Finances et Logistique", "dépenses");
    assert!(now.contains("Gaspard Morel (titulaire)"), "{now}");
    assert!(!now.contains("Fatou"), "{now}");

    // The day Gaspard's mandate starts (story: 2026-04-21) is read at noon: it counts already.
    let first_day = story_day("2026-04-21");
    let page = leo.page(&format!("/carte?date={first_day}")).await;
    let that_day = row(&page, "Pôle Finances et Logistique", "dépenses");
    assert!(that_day.contains("Gaspard Morel"), "{that_day}");

    // Djamel's renewal: between his two mandates (story: 2026-05-31) nobody holds the rounds.
    let gap = story_day("2026-05-31");
    let page = leo.page(&format!("/carte?date={gap}")).await;
    let rounds = row(&page, "Comité Porte-à-porte", "tournées");
    assert!(!rounds.contains("Djamel"), "{rounds}");
    assert!(rounds.contains("Personne ne tient ce domaine"), "{rounds}");
}

async fn r15_web_map_shows_where_an_unheld_domain_goes(db: TestDb) {
    let app = TestApp::demo(db).await;
    let leo = Reader::member(&app, "Léo").await;
    let page = leo.page("/carte").await;
    // Nobody in the Comité Porte-à-porte holds its arguments: they go up to the Pôle.
    let unheld = row(&page, "Comité Porte-à-porte", "argumentaires");
    assert!(
        unheld.contains(
            "Personne ne tient ce domaine : la décision revient à Pôle Mobilisation (Chloé Martin)."
        ),
        "{unheld}"
    );
    assert!(unheld.contains("Agora (tous les membres)"), "{unheld}");
    // A held domain names no route.
    let held = row(&page, "Comité Porte-à-porte", "tournées");
    assert!(
        held.contains("Djamel Benali (titulaire), jusqu'au"),
        "{held}"
    );
    assert!(!held.contains("Personne"), "{held}");
    // The Agora is every member's.
    let charter = row(&page, "Agora", "charte");
    assert!(
        charter.contains("assemblée de tous les membres"),
        "{charter}"
    );
}

async fn r15_web_map_with_a_malformed_date_says_so_and_shows_today(db: TestDb) {
    let app = TestApp::demo(db).await;
    let leo = Reader::member(&app, "Léo").await;
    for bad in [
        "31/02/2026",
        "2026-02-31",
        "demain",
        "99999-01-01",
        &"9".repeat(5000),
    ] {
        let page = leo.page(&format!("/carte?date={bad}")).await;
        assert!(
            page.contains("role=\"alert\">Cette date n&#39;est pas lisible"),
            "{bad}"
        );
        assert!(page.contains("Carte d&#39;aujourd&#39;hui"), "{bad}");
        let now = row(&page, "Pôle Finances et Logistique", "dépenses");
        assert!(now.contains("Gaspard Morel"), "{bad}: {now}");
    }
    // An empty field is today, without complaint.
    let page = leo.page("/carte?date=").await;
    assert!(!page.contains("role=\"alert\""));
}

async fn r17_web_outsider_is_sent_to_sign_in_from_map_and_coordination(db: TestDb) {
    let app = TestApp::demo(db).await;
    let outsider = Reader::outsider(&app);
    let escalation = format!("/coordination/escalades/{}", uuid::Uuid::now_v7());
    for path in [
        "/carte",
        "/carte?date=2026-04-15",
        "/coordination",
        escalation.as_str(),
    ] {
        let (status, location, body) = outsider.get(path).await;
        assert_eq!(status, 303, "{path}");
        assert_eq!(location.as_deref(), Some("/connexion"), "{path}");
        assert!(!body.contains("Gaspard"), "{path} leaks a name");
    }
}

async fn r18_web_coordination_draws_one_bar_per_holder(db: TestDb) {
    let app = TestApp::demo(db).await;
    // Léo holds no mandate and sits in no Coordination: the page is his to read all the same.
    let leo = Reader::member(&app, "Léo").await;
    let page = leo.page("/coordination").await;
    let power = app
        .gql(
            Some("Léo"),
            "{ powerDistribution { holders { memberName mandates } withoutMandate } }",
            json!({}),
        )
        .await;
    let holders = power["data"]["powerDistribution"]["holders"]
        .as_array()
        .unwrap();
    assert!(!holders.is_empty());
    let start = page
        .find("<svg class=\"bars\" role=\"img\" aria-labelledby=\"power-chart-title\"")
        .expect("the chart");
    let end = page[start..].find("</svg>").unwrap() + start;
    let svg = &page[start..end];
    assert!(svg.contains("<title id=\"power-chart-title\">"));
    assert_eq!(svg.matches("<rect").count(), holders.len(), "one bar each");
    // The same numbers, in a table a screen reader reads row by row.
    for h in holders {
        let name = h["memberName"].as_str().unwrap();
        let n = h["mandates"].as_i64().unwrap();
        assert!(
            page.contains(&format!("<th scope=\"row\">{name}</th><td>{n}</td>")),
            "{name}"
        );
    }
    // Most mandates first.
    let counts: Vec<i64> = svg
        .split("<rect")
        .skip(1)
        .map(|b| {
            let w = b.split("width=\"").nth(1).unwrap();
            w[..w.find('"').unwrap()].parse().unwrap()
        })
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    // Those without a mandate are named.
    let without = page.split("Membres sans mandat").nth(1).unwrap();
    assert!(without.contains("<li>Léo Garnier</li>"));
    assert!(without.contains("<li>Julien Petit</li>"));
    // The other parts are there too: Bruno's Coordination mandate ends within 60 days of the
    // story's "today", and Karima's account report is missing.
    assert!(page.contains("Mandats qui finissent dans les 60 prochains jours"));
    assert!(page.contains("Comptes rendus manquants"));
    assert!(page.contains("<strong>Karima Saïdi</strong>"));
    assert!(
        !page.contains("n&#39;est pas disponible"),
        "no part refused"
    );
}

async fn r9_web_coordination_links_each_escalation_to_its_proposal(db: TestDb) {
    let app = TestApp::demo(db).await;
    let leo = Reader::member(&app, "Léo").await;
    let page = leo.page("/coordination").await;
    // Hélène's movement-wide proposal waits in the Coordination's inbox.
    let href = page
        .split("href=\"")
        .map(|s| &s[..s.find('"').unwrap()])
        .find(|h| h.starts_with("/coordination/escalades/"))
        .expect("a link to the escalation")
        .to_owned();
    assert!(page.contains("remontée par Hélène Dubois"));
    let proposal = leo.page(&href).await;
    assert!(
        proposal.contains("<h1>Fête de quartier ouverte à tous les collectifs du quartier</h1>")
    );
    for fact in [
        "Comité Événements",
        "programmation",
        "remontée par Hélène Dubois le",
        "Attend une décision de</dt><dd>Coordination",
        "Chemin de remontée",
        "Agora (tous les membres)",
        "En attente d&#39;une décision.",
    ] {
        assert!(proposal.contains(fact), "{fact}");
    }
    // An id that names nothing, or is no id at all, is not found.
    let (status, _, _) = leo
        .get(&format!("/coordination/escalades/{}", uuid::Uuid::now_v7()))
        .await;
    assert_eq!(status, 404);
    let (status, _, _) = leo.get("/coordination/escalades/pas-un-id").await;
    assert_eq!(status, 404);
}
