//! The `gouvernail` binary: thin glue over the library (configuration, logging, run).

use clap::Parser;
use graphql_server::cli::{self, Cli};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    cli::init_tracing(cli.log_format);
    match cli::run(cli).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("gouvernail: {e}");
            ExitCode::from(2)
        }
    }
}
