//! Makes the decision log, the tension history and the audit trail append-only in the database
//! itself (R12): triggers reject every `UPDATE` and `DELETE` on those tables with an error
//! starting `append-only: <table>`, whatever code runs against the database.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables whose rows, once written, are never changed nor removed.
const APPEND_ONLY_TABLES: [&str; 7] = [
    "decisions",
    "consultations",
    "decision_participants",
    "decision_links",
    "decision_effects",
    "tension_events",
    "audit_entries",
];

/// The PostgreSQL trigger function shared by every append-only table.
const PG_FUNCTION: &str = "reject_append_only_change";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for sql in up_statements(manager.get_database_backend())? {
            manager.get_connection().execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for sql in down_statements(manager.get_database_backend())? {
            manager.get_connection().execute_unprepared(&sql).await?;
        }
        Ok(())
    }
}

fn up_statements(backend: DbBackend) -> Result<Vec<String>, DbErr> {
    let mut statements = Vec::new();
    match backend {
        DbBackend::Sqlite => {
            for table in APPEND_ONLY_TABLES {
                for operation in ["UPDATE", "DELETE"] {
                    statements.push(format!(
                        "CREATE TRIGGER {name} BEFORE {operation} ON {table} \
                         BEGIN SELECT RAISE(ABORT, 'append-only: {table}'); END;",
                        name = sqlite_trigger(table, operation),
                    ));
                }
            }
        }
        DbBackend::Postgres => {
            // `OR REPLACE`: `fresh` drops tables, and their triggers, but not functions.
            statements.push(format!(
                "CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN RAISE EXCEPTION 'append-only: %', TG_TABLE_NAME; END; $$"
            ));
            for table in APPEND_ONLY_TABLES {
                statements.push(format!(
                    "CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} \
                     FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()"
                ));
                // TRUNCATE skips row triggers, so it gets its own statement-level one.
                statements.push(format!(
                    "CREATE TRIGGER {table}_append_only_truncate BEFORE TRUNCATE ON {table} \
                     FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()"
                ));
            }
        }
        other => return Err(unsupported(other)),
    }
    Ok(statements)
}

fn down_statements(backend: DbBackend) -> Result<Vec<String>, DbErr> {
    let mut statements = Vec::new();
    match backend {
        DbBackend::Sqlite => {
            for table in APPEND_ONLY_TABLES {
                for operation in ["UPDATE", "DELETE"] {
                    statements.push(format!(
                        "DROP TRIGGER IF EXISTS {}",
                        sqlite_trigger(table, operation)
                    ));
                }
            }
        }
        DbBackend::Postgres => {
            for table in APPEND_ONLY_TABLES {
                statements.push(format!(
                    "DROP TRIGGER IF EXISTS {table}_append_only ON {table}"
                ));
                statements.push(format!(
                    "DROP TRIGGER IF EXISTS {table}_append_only_truncate ON {table}"
                ));
            }
            statements.push(format!("DROP FUNCTION IF EXISTS {PG_FUNCTION}()"));
        }
        other => return Err(unsupported(other)),
    }
    Ok(statements)
}

fn sqlite_trigger(table: &str, operation: &str) -> String {
    format!("{table}_append_only_{}", operation.to_lowercase())
}

fn unsupported(backend: DbBackend) -> DbErr {
    DbErr::Migration(format!(
        "append-only triggers are written for SQLite and PostgreSQL, not {backend:?}"
    ))
}
