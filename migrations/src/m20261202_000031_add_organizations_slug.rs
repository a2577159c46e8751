//! Adds `organizations.slug`, each movement's address (`/m/{slug}/graphql`), with a unique
//! index, and fills it for the movements already stored: derived from their names, in creation
//! order, numbered `-2`, `-3`, … when two names give the same slug.
//!
//! The column stays nullable on both backends: SQLite adds a NOT NULL column only with a
//! default (which the unique index would then refuse on the second row), or by rebuilding the
//! table, which every other table references. The server guarantees the value instead: this
//! backfill for the rows already there, `Store::found` for every new one; the entity reads it
//! as non-null. `organizations` is not under the append-only triggers
//! (`m20261121_000027`), so the backfill updates its rows directly.
//!
//! The migration runs in one transaction on both backends: a crash leaves either no column or
//! a column filled and indexed.
//!
//! The derivation below is a frozen copy of `governance_core::Slug::from_name`, `numbered`
//! and `first_free`: migrations import nothing of ours, and a migration must compute the same
//! thing whenever it runs. The core's is the reference; `graphql-server`'s `store::movements`
//! tests that the two agree.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{DbBackend, Statement};
use std::collections::HashSet;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEX: &str = "uq_organizations_slug";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Organizations::Table)
                    .add_column(ColumnDef::new(Organizations::Slug).text().null())
                    .to_owned(),
            )
            .await?;
        backfill(manager).await?;
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(Organizations::Table)
                    .col(Organizations::Slug)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite drops no indexed column: the index goes first.
        manager
            .drop_index(
                Index::drop()
                    .name(INDEX)
                    .table(Organizations::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Organizations::Table)
                    .drop_column(Organizations::Slug)
                    .to_owned(),
            )
            .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}

/// Gives every stored movement its slug, oldest first. Rows are named by `rowid` on SQLite
/// and by their id as text on PostgreSQL, so that no UUID type is needed here.
async fn backfill(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let backend = manager.get_database_backend();
    let (select, update) = match backend {
        DbBackend::Sqlite => (
            "SELECT CAST(rowid AS TEXT) AS k, name FROM organizations ORDER BY created_at, rowid",
            "UPDATE organizations SET slug = ? WHERE rowid = CAST(? AS INTEGER)",
        ),
        DbBackend::Postgres => (
            "SELECT id::text AS k, name FROM organizations ORDER BY created_at, id",
            "UPDATE organizations SET slug = $1 WHERE id = CAST($2 AS uuid)",
        ),
        other => {
            return Err(DbErr::Migration(format!(
                "the slug backfill is written for SQLite and PostgreSQL, not {other:?}"
            )));
        }
    };
    let db = manager.get_connection();
    let rows = db
        .query_all_raw(Statement::from_string(backend, select))
        .await?;
    let mut keys = Vec::with_capacity(rows.len());
    let mut names = Vec::with_capacity(rows.len());
    for row in rows {
        keys.push(row.try_get::<String>("", "k")?);
        names.push(row.try_get::<String>("", "name")?);
    }
    for (key, slug) in keys.into_iter().zip(backfill_slugs(&names)) {
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            update,
            [slug.into(), key.into()],
        ))
        .await?;
    }
    Ok(())
}

/// The slugs of movements named `names`, oldest first: each derived from its name, numbered
/// `-2`, `-3`, … past those already given. Public only for the test that compares it with
/// `governance_core::Slug`.
pub fn backfill_slugs<S: AsRef<str>>(names: &[S]) -> Vec<String> {
    let mut taken = HashSet::new();
    names
        .iter()
        .map(|name| {
            let base = slug_from_name(name.as_ref());
            let slug = (1..)
                .map(|n| {
                    if n == 1 {
                        base.clone()
                    } else {
                        numbered(&base, n)
                    }
                })
                .find(|s| !taken.contains(s))
                .expect("a movement count never exhausts u32");
            taken.insert(slug.clone());
            slug
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Frozen copy of `governance_core::slug` (see the top of this file).

const MAX_LEN: usize = 48;

const RESERVED: [&str; 12] = [
    "graphql",
    "graphiql",
    "health",
    "m",
    "api",
    "admin",
    "public",
    "connexion",
    "deconnexion",
    "style",
    "static",
    "assets",
];

const FALLBACK: &str = "mouvement";

fn slug_from_name(name: &str) -> String {
    let mut out = String::new();
    let mut pending_dash = false;
    for c in name.nfkd().filter(|c| !is_combining_mark(*c)) {
        let spelled: &str = match c {
            'œ' | 'Œ' => "oe",
            'æ' | 'Æ' => "ae",
            'ß' | 'ẞ' => "ss",
            'ø' | 'Ø' => "o",
            'đ' | 'Đ' | 'ð' | 'Ð' => "d",
            'ł' | 'Ł' => "l",
            'þ' | 'Þ' => "th",
            'ı' => "i",
            c if c.is_ascii_alphanumeric() => {
                if pending_dash && !out.is_empty() {
                    out.push('-');
                }
                pending_dash = false;
                out.push(c.to_ascii_lowercase());
                continue;
            }
            _ => {
                pending_dash = true;
                continue;
            }
        };
        if pending_dash && !out.is_empty() {
            out.push('-');
        }
        pending_dash = false;
        out.push_str(spelled);
    }
    shortened(&out, MAX_LEN).unwrap_or_else(|| FALLBACK.to_owned())
}

fn numbered(slug: &str, n: u32) -> String {
    let suffix = format!("-{n}");
    let base = shortened(slug, MAX_LEN - suffix.len()).unwrap_or_else(|| FALLBACK.to_owned());
    base + &suffix
}

/// `folded` (lower-case ASCII letters, digits and single inner dashes) cut to `max` without a
/// trailing `-`, if what is left is a valid slug.
fn shortened(folded: &str, max: usize) -> Option<String> {
    let cut = folded[..folded.len().min(max)].trim_end_matches('-');
    is_slug(cut).then(|| cut.to_owned())
}

/// What `Slug::parse` accepts.
fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_LEN
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && !RESERVED.contains(&s)
        && !looks_like_uuid(s)
}

/// Whether `uuid::Uuid::try_parse` reads `s` (lower-case, without braces nor `urn:`): 32 hex
/// digits, or 36 characters grouped 8-4-4-4-12.
fn looks_like_uuid(s: &str) -> bool {
    let hex = |b: u8| b.is_ascii_hexdigit();
    match s.len() {
        32 => s.bytes().all(hex),
        36 => s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => hex(b),
        }),
        _ => false,
    }
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Slug,
}
