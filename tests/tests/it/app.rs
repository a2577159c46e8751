//! `TestApp`: a real Gouvernail server on 127.0.0.1 with a random port, over a fresh database,
//! and a small GraphQL client for the tests.

use crate::helpers::TestDb;
use governance_core::OrganizationId;
use graphql_server::cli::{InitArgs, found_movement};
use graphql_server::http::{HttpLimits, app};
use graphql_server::store::Store;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::net::SocketAddr;

/// A running server and what a test needs to talk to it.
#[derive(Debug)]
pub struct TestApp {
    pub addr: SocketAddr,
    /// The server's store, for tests that look behind the API.
    #[allow(dead_code)]
    pub store: Store,
    #[allow(dead_code)]
    pub org: OrganizationId,
    /// Tokens by first name.
    pub tokens: HashMap<String, String>,
    /// Kept so that the database lives as long as the server, and is removed after it.
    #[allow(dead_code)]
    pub db: TestDb,
    client: reqwest::Client,
}

impl TestApp {
    async fn start(
        db: TestDb,
        store: Store,
        org: OrganizationId,
        tokens: HashMap<String, String>,
        limits: HttpLimits,
    ) -> Self {
        let connections = limits.connections;
        let router = app(store.clone(), org, limits);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(graphql_server::http::serve(listener, router, connections));
        Self {
            addr,
            store,
            org,
            tokens,
            db,
            client: reqwest::Client::new(),
        }
    }

    /// A server over the Collectif des Tilleuls, its story's "today" moved to today.
    pub async fn demo(db: TestDb) -> Self {
        Self::demo_with(db, HttpLimits::default()).await
    }

    pub async fn demo_with(db: TestDb, limits: HttpLimits) -> Self {
        let store = db.open().await;
        Self::demo_over(db, store, limits).await
    }

    /// A server over the demo whose store keeps only the movements `residency` allows in memory.
    pub async fn demo_resident(db: TestDb, residency: graphql_server::store::Residency) -> Self {
        let mut config = graphql_server::store::StoreConfig::new(db.url.clone());
        config.residency = residency;
        let store = Store::open(&config).await.expect("open the store");
        // Many requests from this one address: the limit per address is not what is tested.
        let limits = HttpLimits {
            per_ip_per_minute: 1_000_000,
            ..HttpLimits::default()
        };
        Self::demo_over(db, store, limits).await
    }

    /// A server over the demo whose store queues e-mails and webhook deliveries as `config`
    /// says (the tests send them by calling the outbox themselves).
    pub async fn demo_outbox(db: TestDb, config: graphql_server::outbox::OutboxConfig) -> Self {
        let store = db.open().await.with_outbox(config);
        let limits = HttpLimits {
            per_ip_per_minute: 1_000_000,
            ..HttpLimits::default()
        };
        Self::demo_over(db, store, limits).await
    }

    /// The demo seeded into `store`, served under `limits`.
    async fn demo_over(db: TestDb, store: Store, limits: HttpLimits) -> Self {
        let (org, members) = graphql_server::demo::seed(&store)
            .await
            .unwrap()
            .expect("an empty database");
        let tokens = members
            .into_iter()
            .map(|m| (first_name(&m.name), m.token))
            .collect();
        Self::start(db, store, org, tokens, limits).await
    }

    /// A server over a movement already in `store`, with a token for each member named (by
    /// first name).
    pub async fn over(db: TestDb, store: Store, org: OrganizationId, members: &[&str]) -> Self {
        let mut tokens = HashMap::new();
        {
            let state = store.read(org, None).await.unwrap();
            for who in members {
                let id = state
                    .movement
                    .members()
                    .find(|m| first_name(m.name.as_str()) == *who)
                    .unwrap_or_else(|| panic!("no member {who}"))
                    .id;
                tokens.insert(who.to_string(), (id, String::new()));
            }
        }
        let mut out = HashMap::new();
        for (who, (id, _)) in tokens {
            let token = graphql_server::auth::create(&store, org, id, "test")
                .await
                .unwrap();
            out.insert(who, token);
        }
        Self::start(db, store, org, out, HttpLimits::default()).await
    }

    /// A server over a movement just founded by `init`.
    pub async fn founded(db: TestDb, founders: &[&str], coordinators: &[&str]) -> Self {
        let store = db.open().await;
        let args = InitArgs {
            name: "Collectif du Canal".into(),
            founders: founders.iter().map(|s| s.to_string()).collect(),
            coordinators: coordinators.iter().map(|s| s.to_string()).collect(),
            agora_domains: "charte,règles,budget annuel".into(),
            coordination_domains: "structure,mandats,règles,budget,communication externe".into(),
            months: 12,
            slug: None,
        };
        let (org, _, founders) = found_movement(&store, &args).await.unwrap();
        let tokens = founders
            .into_iter()
            .map(|(name, _, token)| (first_name(&name), token))
            .collect();
        Self::start(db, store, org.id, tokens, HttpLimits::default()).await
    }

    /// Another server over the same database and movement, with a store of its own (as a
    /// second process would have), answering the same tokens.
    pub async fn another_server(&self) -> Self {
        self.another_server_with(HttpLimits::default()).await
    }

    /// The same, with its own limits (a load test raises the rate limits).
    pub async fn another_server_with(&self, limits: HttpLimits) -> Self {
        let db = self.db.alias();
        let store = db.open().await;
        Self::start(db, store, self.org, self.tokens.clone(), limits).await
    }

    pub fn url(&self) -> String {
        format!("http://{}/graphql", self.addr)
    }

    pub fn token(&self, who: &str) -> &str {
        self.tokens
            .get(who)
            .unwrap_or_else(|| panic!("no token for {who}"))
    }

    /// Posts one GraphQL operation as `who` (`None`: an outsider) and returns the JSON answer.
    pub async fn gql(&self, who: Option<&str>, query: &str, variables: Value) -> Value {
        self.gql_lang(who, "en", query, variables).await
    }

    pub async fn gql_lang(
        &self,
        who: Option<&str>,
        lang: &str,
        query: &str,
        variables: Value,
    ) -> Value {
        let mut req = self
            .client
            .post(self.url())
            .header("accept-language", lang)
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(who) = who {
            req = req.bearer_auth(self.token(who));
        }
        req.send().await.unwrap().json().await.unwrap()
    }

    /// Posts a raw body, for limit tests.
    pub async fn post_raw(&self, body: Vec<u8>) -> (u16, Value) {
        let res = self
            .client
            .post(self.url())
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// Ids by name, read from the API as a member.
    pub async fn ids(&self, who: &str) -> Ids {
        Ids::from_answer(&self.gql(Some(who), Ids::QUERY, json!({})).await)
    }
}

/// Ids of a movement, by human name: units by full name, members by first name, mandates as
/// `First@Unit` (the latest assigned wins).
#[derive(Debug, Clone)]
pub struct Ids {
    pub units: HashMap<String, String>,
    pub members: HashMap<String, String>,
    pub mandates: HashMap<String, String>,
}

impl Ids {
    /// The query whose answer `from_answer` reads.
    pub const QUERY: &str = "{ units { id name } members { id name email } mandates { id holder { name } unit { name } } }";

    /// Reads the answer to `Ids::QUERY`.
    pub fn from_answer(v: &Value) -> Self {
        let by = |list: &str, key: &str| -> HashMap<String, String> {
            v["data"][list]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| {
                    (
                        first_name(x[key].as_str().unwrap()),
                        x["id"].as_str().unwrap().to_owned(),
                    )
                })
                .collect()
        };
        let units = v["data"]["units"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                (
                    x["name"].as_str().unwrap().to_owned(),
                    x["id"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let mandates = v["data"]["mandates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                (
                    format!(
                        "{}@{}",
                        first_name(x["holder"]["name"].as_str().unwrap()),
                        x["unit"]["name"].as_str().unwrap()
                    ),
                    x["id"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        Ids {
            units,
            members: by("members", "name"),
            mandates,
        }
    }

    pub fn unit(&self, name: &str) -> &str {
        self.units
            .get(name)
            .unwrap_or_else(|| panic!("no unit {name}"))
    }
    pub fn member(&self, name: &str) -> &str {
        self.members
            .get(name)
            .unwrap_or_else(|| panic!("no member {name}"))
    }
    pub fn mandate(&self, key: &str) -> &str {
        self.mandates
            .get(key)
            .unwrap_or_else(|| panic!("no mandate {key}"))
    }
}

pub fn first_name(full: &str) -> String {
    full.split_whitespace().next().unwrap_or(full).to_owned()
}

/// The first error code of an answer, or "OK".
pub fn code(v: &Value) -> String {
    match v["errors"].as_array().and_then(|e| e.first()) {
        Some(e) => e["extensions"]["code"]
            .as_str()
            .unwrap_or("NO_CODE")
            .to_owned(),
        None => "OK".into(),
    }
}
