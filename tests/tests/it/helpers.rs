//! Test databases: a temporary SQLite file, or a fresh PostgreSQL database created from
//! `TEST_DATABASE_URL` and dropped afterwards. Without that variable PostgreSQL tests say they
//! skipped; CI always sets it.

use graphql_server::store::{Store, StoreConfig};
use sea_orm::{ConnectionTrait, Database, Statement};

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database that exists for one test and is removed after it, even if the test panics.
#[derive(Debug)]
pub struct TestDb {
    pub backend: Backend,
    pub url: String,
    admin_url: Option<String>,
    name: String,
    path: Option<std::path::PathBuf>,
}

impl TestDb {
    pub fn sqlite() -> Self {
        let name = format!("gouvernail-test-{}", uuid::Uuid::now_v7().simple());
        let path = std::env::temp_dir().join(format!("{name}.db"));
        Self {
            backend: Backend::Sqlite,
            url: format!("sqlite://{}?mode=rwc", path.display()),
            admin_url: None,
            name,
            path: Some(path),
        }
    }

    /// A temporary SQLite file holding a copy of `fixture`.
    pub fn sqlite_copy_of(fixture: &std::path::Path) -> Self {
        let db = Self::sqlite();
        std::fs::copy(fixture, db.path.as_ref().expect("a SQLite file")).expect("copy the fixture");
        db
    }

    /// A fresh PostgreSQL database, or `None` (with a line saying so) without `TEST_DATABASE_URL`.
    pub async fn postgres(test: &str) -> Option<Self> {
        let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
            println!("TEST_DATABASE_URL is not set: PostgreSQL test {test} skipped");
            return None;
        };
        let name = format!("gouvernail_test_{}", uuid::Uuid::now_v7().simple());
        let admin = Database::connect(admin_url.as_str())
            .await
            .expect("connect to TEST_DATABASE_URL");
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create the test database");
        admin.close().await.ok();
        let (base, _) = admin_url
            .rsplit_once('/')
            .expect("a database URL ends with /dbname");
        Some(Self {
            backend: Backend::Postgres,
            url: format!("{base}/{name}"),
            admin_url: Some(admin_url),
            name,
            path: None,
        })
    }

    /// The same database under another name that does not remove it when dropped: for a
    /// second server over it.
    pub fn alias(&self) -> Self {
        Self {
            backend: self.backend,
            url: self.url.clone(),
            admin_url: None,
            name: self.name.clone(),
            path: None,
        }
    }

    pub async fn open(&self) -> Store {
        Store::open(&StoreConfig::new(self.url.clone()))
            .await
            .expect("open the store")
    }

    /// A raw connection, for tests that play an attacker editing the database behind the engine.
    pub async fn raw(&self) -> sea_orm::DatabaseConnection {
        Database::connect(self.url.as_str())
            .await
            .expect("raw connection")
    }

    /// Runs one statement as an attacker would, with the append-only triggers out of the way.
    pub async fn tamper(&self, sql: &str) {
        let db = self.raw().await;
        match self.backend {
            Backend::Sqlite => {
                for table in ["audit_entries", "decisions"] {
                    for op in ["update", "delete"] {
                        db.execute_unprepared(&format!(
                            "DROP TRIGGER IF EXISTS {table}_append_only_{op}"
                        ))
                        .await
                        .unwrap();
                    }
                }
            }
            Backend::Postgres => {
                for table in ["audit_entries", "decisions"] {
                    db.execute_unprepared(&format!("ALTER TABLE {table} DISABLE TRIGGER USER"))
                        .await
                        .unwrap();
                }
            }
        }
        db.execute_raw(Statement::from_string(
            db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .unwrap_or_else(|e| panic!("tampering with {sql:?} failed: {e}"));
        db.close().await.ok();
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(path) = &self.path {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
        if let Some(admin_url) = self.admin_url.clone() {
            let name = self.name.clone();
            // Drop runs outside any runtime we may use; give the cleanup its own.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async {
                    if let Ok(admin) = Database::connect(admin_url.as_str()).await {
                        let _ = admin
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                            ))
                            .await;
                    }
                });
            })
            .join();
        }
    }
}

/// Runs one async test body on SQLite and on PostgreSQL, as two tests.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(crate::helpers::TestDb::sqlite()).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(db) = crate::helpers::TestDb::postgres(stringify!($name)).await {
                    super::$name(db).await;
                }
            }
        }
    )*};
}
pub(crate) use on_both_backends;

/// Stores the demo movement's whole log; returns the movement's id.
pub async fn store_demo(store: &Store) -> governance_core::OrganizationId {
    let (org, events) = tests::demo_log();
    let mut events = events.into_iter();
    store
        .found(org.clone(), events.next().unwrap(), None)
        .await
        .expect("found");
    for e in events {
        store
            .append(org.id, e, None, None)
            .await
            .expect("demo event");
    }
    org.id
}
