//! SQLite as the embedded default: WAL journal, `synchronous=FULL` unless told otherwise, foreign
//! keys on, a busy timeout, and one writer at a time. The pragmas in effect are read back at
//! start-up, and the server refuses to run if they are not what was configured.

use super::{StoreConfig, StoreError};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, Statement};
use sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};

/// SQLite's `synchronous` setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Synchronous {
    /// Every commit waits for the disk: an acknowledged write survives a power cut. The default.
    Full,
    /// In WAL mode, commits do not wait for the disk: an acknowledged write survives a crash of
    /// the process but the last ones may be lost on a power cut or an OS crash. Faster; opt in
    /// only if that risk is acceptable.
    Normal,
}

impl Synchronous {
    fn pragma_value(self) -> i64 {
        match self {
            Synchronous::Full => 2,
            Synchronous::Normal => 1,
        }
    }
}

pub(super) async fn connect(config: &StoreConfig) -> Result<DatabaseConnection, StoreError> {
    let synchronous = config.synchronous;
    let busy = config.busy_timeout;
    let mut opts = ConnectOptions::new(config.url.clone());
    // Readers may run beside the one writer thanks to WAL; writes are serialised by the store.
    opts.max_connections(4)
        .min_connections(1)
        .sqlx_logging(false);
    opts.map_sqlx_sqlite_opts(move |o| {
        o.journal_mode(SqliteJournalMode::Wal)
            .synchronous(match synchronous {
                Synchronous::Full => SqliteSynchronous::Full,
                Synchronous::Normal => SqliteSynchronous::Normal,
            })
            .foreign_keys(true)
            .busy_timeout(busy)
            .create_if_missing(true)
    });
    let db = Database::connect(opts).await?;
    check_pragmas(&db, config).await?;
    Ok(db)
}

async fn pragma(db: &DatabaseConnection, name: &str) -> Result<String, StoreError> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("PRAGMA {name}"),
        ))
        .await?
        .ok_or_else(|| StoreError::Pragma {
            name: "unknown",
            expected: name.to_owned(),
            found: "no answer".to_owned(),
        })?;
    let value = row
        .try_get_by_index::<String>(0)
        .or_else(|_| row.try_get_by_index::<i64>(0).map(|n| n.to_string()))?;
    Ok(value)
}

/// Reads back the pragmas in effect and refuses to run if any differs from the configuration.
pub(super) async fn check_pragmas(
    db: &DatabaseConnection,
    config: &StoreConfig,
) -> Result<(), StoreError> {
    let expect = |name: &'static str, expected: String, found: String| {
        if expected.eq_ignore_ascii_case(&found) {
            Ok(())
        } else {
            Err(StoreError::Pragma {
                name,
                expected,
                found,
            })
        }
    };
    expect(
        "journal_mode",
        "wal".into(),
        pragma(db, "journal_mode").await?,
    )?;
    expect(
        "synchronous",
        config.synchronous.pragma_value().to_string(),
        pragma(db, "synchronous").await?,
    )?;
    expect(
        "foreign_keys",
        "1".into(),
        pragma(db, "foreign_keys").await?,
    )?;
    expect(
        "busy_timeout",
        config.busy_timeout.as_millis().to_string(),
        pragma(db, "busy_timeout").await?,
    )?;
    Ok(())
}
