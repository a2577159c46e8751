//! The migrator CLI: `migrator up`, `down`, `status`, `fresh` (and the rest of SeaORM's
//! migration commands) against `DATABASE_URL` or `--database-url`.

use sea_orm_migration::prelude::*;

#[tokio::main]
async fn main() {
    cli::run_cli(migrations::Migrator).await;
}
