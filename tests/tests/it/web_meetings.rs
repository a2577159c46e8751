//! The *Réunions* pages over HTTP, on the demo movement: the list of my meetings, the
//! convocation form (refused with the API's French message and nothing stored, then accepted),
//! a meeting's forms judged by the API (signing outside the session, a proxy and its no-chain
//! rule), and the hostile cases: a forged CSRF token writes nothing, an outsider is sent to
//! sign in (R10, ADR 0005).

use crate::app::TestApp;
use crate::helpers::TestDb;
use chrono::{Duration, Utc};
use serde_json::{Value, json};

/// A browser signed in as one member: its session cookie, sent by hand (reqwest here has no
/// cookie store), and no redirect followed, so that each test sees the 303s.
struct Browser {
    client: reqwest::Client,
    base: String,
    cookie: String,
}

struct Page {
    status: u16,
    location: String,
    body: String,
}

impl Browser {
    fn outsider(app: &TestApp) -> Self {
        Self {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: format!("http://{}", app.addr),
            cookie: String::new(),
        }
    }

    async fn signed_in(app: &TestApp, who: &str) -> Self {
        let ids = app.ids("Awa").await;
        let member = uuid::Uuid::parse_str(ids.member(who)).unwrap();
        let mut b = Self::outsider(app);
        let link = graphql_server::web::issue_link(
            &app.store,
            app.org,
            governance_core::MemberId::from_uuid(member),
            &b.base,
            std::time::Duration::from_secs(600),
        )
        .await
        .unwrap();
        let res = b.client.get(&link).send().await.unwrap();
        assert_eq!(
            res.status().as_u16(),
            303,
            "the sign-in link opens a session"
        );
        b.cookie = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .collect::<Vec<_>>()
            .join("; ");
        assert!(!b.cookie.is_empty(), "a session cookie is set");
        b
    }

    async fn read(res: reqwest::Response) -> Page {
        let status = res.status().as_u16();
        let location = res
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        Page {
            status,
            location,
            body: res.text().await.unwrap(),
        }
    }

    async fn get(&self, path: &str) -> Page {
        let mut req = self
            .client
            .get(format!("{}{path}", self.base))
            .header("accept-language", "fr");
        if !self.cookie.is_empty() {
            req = req.header("cookie", &self.cookie);
        }
        Self::read(req.send().await.unwrap()).await
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        let mut req = self
            .client
            .post(format!("{}{path}", self.base))
            .header("accept-language", "fr")
            .header("origin", &self.base)
            .form(form);
        if !self.cookie.is_empty() {
            req = req.header("cookie", &self.cookie);
        }
        Self::read(req.send().await.unwrap()).await
    }

    /// The CSRF token of the forms of `path`.
    async fn csrf(&self, path: &str) -> String {
        let page = self.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        let (_, rest) = page
            .body
            .split_once("name=\"csrf\" value=\"")
            .expect("a form with its token");
        rest.split('"').next().unwrap().to_owned()
    }
}

/// The meetings as the API lists them, with what a test checks.
async fn meetings(app: &TestApp) -> Vec<Value> {
    let v = app
        .gql(
            Some("Awa"),
            "{ meetings { id kind status place attendees proxies { fromName toName withdrawnAt } } }",
            json!({}),
        )
        .await;
    v["data"]["meetings"].as_array().unwrap().clone()
}

async fn revision(app: &TestApp) -> i64 {
    app.gql(Some("Awa"), "{ revision }", json!({})).await["data"]["revision"]
        .as_i64()
        .unwrap()
}

/// A `datetime-local` value `days` from now (read in the movement's time zone, an hour or two
/// off UTC: nothing here is that close to a limit).
fn local_in(days: i64) -> String {
    (Utc::now() + Duration::days(days))
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// The id of the demo's next meeting, convened and not started.
async fn convened_meeting(app: &TestApp) -> String {
    meetings(app)
        .await
        .iter()
        .find(|m| m["status"] == "CONVENED")
        .expect("the demo has a convened meeting")["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn r10_web_meetings_list_my_units_meetings_upcoming_first_with_french_statuses() {
    let app = TestApp::demo(TestDb::sqlite()).await;
    let awa = Browser::signed_in(&app, "Awa").await;
    let page = awa.get("/reunions").await;
    assert_eq!(page.status, 200);
    let body = &page.body;
    assert!(body.contains("<h1>Réunions</h1>"), "{body}");
    assert!(body.contains("Réunion de fonctionnement — Coordination"));
    assert!(body.contains("convoquée") && body.contains("relevé clos"));
    // Upcoming first, then the past.
    let upcoming = body.find("À venir et en cours").unwrap();
    let past = body.find("Passées").unwrap();
    assert!(upcoming < past);
    assert!(body[upcoming..past].contains("convoquée"));
    assert!(!body[upcoming..past].contains("relevé clos"));
    // A meeting's page: agenda, attendance, relevé linked to its decisions.
    let agora = meetings(&app)
        .await
        .into_iter()
        .rfind(|m| m["kind"] == "agora" && m["status"] == "CLOSED")
        .unwrap();
    let page = awa
        .get(&format!("/reunions/{}", agora["id"].as_str().unwrap()))
        .await;
    assert_eq!(page.status, 200);
    for words in [
        "Ordre du jour",
        "Émargement",
        "Pouvoirs",
        "Relevé de décisions",
        "href=\"/decisions/",
        "Secrétaires",
        "Relevé clos le",
    ] {
        assert!(page.body.contains(words), "{words}: {}", page.body);
    }
    // A malformed or unknown id names nothing.
    assert_eq!(awa.get("/reunions/pas-un-id").await.status, 404);
    assert_eq!(
        awa.get(&format!("/reunions/{}", uuid::Uuid::now_v7()))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn r10_web_a_convocation_with_too_short_a_notice_is_refused_in_french_and_stores_nothing() {
    let app = TestApp::demo(TestDb::sqlite()).await;
    let awa = Browser::signed_in(&app, "Awa").await;
    let csrf = awa.csrf("/reunions/convoquer").await;
    let before = (meetings(&app).await.len(), revision(&app).await);
    let start = local_in(3);
    let page = awa
        .post(
            "/reunions/convoquer",
            &[
                ("csrf", &csrf),
                ("quoi", "agora"),
                ("debut", &start),
                ("duree", "2"),
                ("lieu", "Salle des fêtes, trop tôt"),
                ("domaines", "budget annuel"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("role=\"alert\""), "{}", page.body);
    assert!(
        page.body.contains("au moins 15 jour"),
        "the notice refusal, in French: {}",
        page.body
    );
    // The form keeps what was typed.
    assert!(page.body.contains("value=\"Salle des fêtes, trop tôt\""));
    assert!(page.body.contains(&format!("value=\"{start}\"")));
    assert!(page.body.contains("value=\"budget annuel\""));
    assert_eq!((meetings(&app).await.len(), revision(&app).await), before);
    // A field the page cannot read is said the same way, and nothing is sent.
    let page = awa
        .post(
            "/reunions/convoquer",
            &[
                ("csrf", &csrf),
                ("quoi", "agora"),
                ("debut", "demain soir"),
                ("duree", "2"),
                ("lieu", "Salle"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("La date et l&#39;heure de début"));
    assert_eq!((meetings(&app).await.len(), revision(&app).await), before);
}

#[tokio::test]
async fn r10_web_a_valid_convocation_appears_on_the_meetings_pages() {
    let app = TestApp::demo(TestDb::sqlite()).await;
    let awa = Browser::signed_in(&app, "Awa").await;
    let csrf = awa.csrf("/reunions/convoquer").await;
    let before = meetings(&app).await.len();
    let page = awa
        .post(
            "/reunions/convoquer",
            &[
                ("csrf", &csrf),
                ("quoi", "agora"),
                ("debut", &local_in(30)),
                ("duree", "3,5"),
                ("lieu", "Gymnase des Tilleuls"),
                ("domaines", "budget annuel, charte"),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    assert!(
        page.location.starts_with("/reunions/") && page.location.ends_with("?fait=convoquee"),
        "{}",
        page.location
    );
    let all = meetings(&app).await;
    assert_eq!(all.len(), before + 1);
    let new = all
        .iter()
        .find(|m| m["place"] == "Gymnase des Tilleuls")
        .unwrap();
    assert_eq!(new["status"], "CONVENED");
    let shown = awa.get(&page.location).await;
    assert_eq!(shown.status, 200);
    assert!(
        shown
            .body
            .contains("C&#39;est noté : la réunion est convoquée")
    );
    assert!(shown.body.contains("Gymnase des Tilleuls"));
    assert!(shown.body.contains("budget annuel") && shown.body.contains("charte"));
    let list = awa.get("/reunions").await;
    let (upcoming, _) = list.body.split_once("Passées").unwrap();
    assert!(upcoming.contains("Gymnase des Tilleuls"), "{upcoming}");
    // Léo, who holds nothing, sees the Agora too: it is every member's.
    let leo = Browser::signed_in(&app, "Léo").await;
    assert!(
        leo.get("/reunions")
            .await
            .body
            .contains("Gymnase des Tilleuls")
    );
}

#[tokio::test]
async fn r10_web_signing_attendance_before_the_meeting_is_refused_by_the_api() {
    let app = TestApp::demo(TestDb::sqlite()).await;
    let awa = Browser::signed_in(&app, "Awa").await;
    let id = convened_meeting(&app).await;
    let path = format!("/reunions/{id}");
    let page = awa.get(&path).await;
    assert!(
        !page.body.contains("/emargement"),
        "no signing form before the meeting"
    );
    let csrf = awa.csrf(&path).await;
    let before = revision(&app).await;
    // The form is not offered, but a hand-made POST is judged by the API all the same.
    let page = awa
        .post(&format!("{path}/emargement"), &[("csrf", &csrf)])
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("role=\"alert\""));
    assert!(
        page.body
            .contains("la feuille d&#39;émargement se signe pendant la réunion"),
        "{}",
        page.body
    );
    assert_eq!(revision(&app).await, before);
    let m = meetings(&app).await;
    let m = m.iter().find(|m| m["id"] == id.as_str()).unwrap();
    assert_eq!(m["attendees"], json!([]));
}

#[tokio::test]
async fn r10_web_a_proxy_is_given_and_withdrawn_and_no_chain_is_accepted() {
    let app = TestApp::demo(TestDb::sqlite()).await;
    let awa = Browser::signed_in(&app, "Awa").await;
    let csrf = awa.csrf("/reunions/convoquer").await;
    let page = awa
        .post(
            "/reunions/convoquer",
            &[
                ("csrf", &csrf),
                ("quoi", "agora"),
                ("debut", &local_in(30)),
                ("duree", "2"),
                ("lieu", "Salle des pouvoirs"),
            ],
        )
        .await;
    assert_eq!(page.status, 303);
    let path = page.location.split('?').next().unwrap().to_owned();
    let ids = app.ids("Awa").await;
    // Léo gives his proxy to Awa through the form the page offers him.
    let leo = Browser::signed_in(&app, "Léo").await;
    let shown = leo.get(&path).await;
    assert!(shown.body.contains("Donner mon pouvoir"), "{}", shown.body);
    let leo_csrf = leo.csrf(&path).await;
    let page = leo
        .post(
            &format!("{path}/pouvoir"),
            &[("csrf", &leo_csrf), ("membre", ids.member("Awa"))],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let shown = leo.get(&page.location).await;
    assert!(shown.body.contains("Vous avez donné votre pouvoir à"));
    assert!(shown.body.contains("Retirer mon pouvoir"));
    // Awa carries one now: giving hers would make a chain, and the API says no.
    let before = revision(&app).await;
    let page = awa
        .post(
            &format!("{path}/pouvoir"),
            &[("csrf", &csrf), ("membre", ids.member("Bruno"))],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("role=\"alert\""));
    assert_eq!(revision(&app).await, before);
    // A member id that is not one is refused too, and stores nothing.
    let page = awa
        .post(
            &format!("{path}/pouvoir"),
            &[("csrf", &csrf), ("membre", "quelqu'un")],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Choisissez un membre dans la liste"));
    assert_eq!(revision(&app).await, before);
    // Léo withdraws it.
    let page = leo
        .post(&format!("{path}/pouvoir/retrait"), &[("csrf", &leo_csrf)])
        .await;
    assert_eq!(page.status, 303);
    let m = meetings(&app).await;
    let m = m
        .iter()
        .find(|m| m["place"] == "Salle des pouvoirs")
        .unwrap();
    assert!(!m["proxies"][0]["withdrawnAt"].is_null());
}

#[tokio::test]
async fn r10_web_a_forged_csrf_token_is_refused_and_writes_nothing() {
    let app = TestApp::demo(TestDb::sqlite()).await;
    let awa = Browser::signed_in(&app, "Awa").await;
    let id = convened_meeting(&app).await;
    let before = (meetings(&app).await.len(), revision(&app).await);
    let start = local_in(30);
    let convene = [
        ("quoi", "agora"),
        ("debut", start.as_str()),
        ("duree", "2"),
        ("lieu", "Salle forgée"),
    ];
    let zeros = "0".repeat(64);
    for csrf in [None, Some(""), Some("forged"), Some(zeros.as_str())] {
        let mut form = convene.to_vec();
        if let Some(c) = csrf {
            form.push(("csrf", c));
        }
        let page = awa.post("/reunions/convoquer", &form).await;
        assert_eq!(page.status, 403, "convene with {csrf:?}");
        for action in [
            "emargement",
            "petition",
            "pouvoir",
            "pouvoir/retrait",
            "ordre-du-jour",
            "cloture",
        ] {
            let mut form = vec![("domaine", "budget")];
            if let Some(c) = csrf {
                form.push(("csrf", c));
            }
            let page = awa.post(&format!("/reunions/{id}/{action}"), &form).await;
            assert_eq!(page.status, 403, "{action} with {csrf:?}");
        }
    }
    // A token from another site's page (the right token, the wrong origin) is refused too.
    let csrf = awa.csrf("/reunions/convoquer").await;
    let mut form = convene.to_vec();
    form.push(("csrf", &csrf));
    let res = awa
        .client
        .post(format!("{}/reunions/convoquer", awa.base))
        .header("cookie", &awa.cookie)
        .header("origin", "http://ailleurs.example")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 403);
    assert_eq!((meetings(&app).await.len(), revision(&app).await), before);
}

#[tokio::test]
async fn r17_web_an_outsider_is_sent_to_sign_in_from_every_meetings_page() {
    let app = TestApp::demo(TestDb::sqlite()).await;
    let id = convened_meeting(&app).await;
    let outsider = Browser::outsider(&app);
    for path in [
        "/reunions".to_owned(),
        "/reunions/convoquer".to_owned(),
        format!("/reunions/{id}"),
    ] {
        let page = outsider.get(&path).await;
        assert_eq!(page.status, 303, "{path}");
        assert_eq!(page.location, "/connexion", "{path}");
        assert!(!page.body.contains("Coordination"));
    }
    let before = revision(&app).await;
    let page = outsider
        .post(&format!("/reunions/{id}/emargement"), &[("csrf", "")])
        .await;
    assert!(page.status == 403 || page.status == 303, "{}", page.status);
    assert_eq!(revision(&app).await, before);
}
