//! A PostgreSQL database of its own for a bench run, created from an admin URL and dropped
//! afterwards, even after a panic. Shared by the benches that need PostgreSQL.

use sea_orm::{ConnectOptions, ConnectionTrait, Database};
use std::time::Duration;
use uuid::Uuid;

/// A PostgreSQL database created for the run and dropped afterwards, even after a panic.
pub struct PgDatabase {
    admin_url: String,
    name: String,
    pub url: String,
}

impl PgDatabase {
    /// Creates the database on the server `admin_url` names, or says why it could not (no
    /// server there, no right to create databases).
    pub async fn try_create(admin_url: &str) -> Result<Self, String> {
        let mut opts = ConnectOptions::new(admin_url.to_owned());
        opts.connect_timeout(Duration::from_secs(5))
            .max_connections(1)
            .sqlx_logging(false);
        let admin = Database::connect(opts).await.map_err(|e| e.to_string())?;
        let name = format!("gouvernail_bench_{}", Uuid::now_v7().simple());
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .map_err(|e| e.to_string())?;
        admin.close().await.ok();
        let (base, _) = admin_url
            .rsplit_once('/')
            .ok_or("the admin URL must end with /dbname")?;
        Ok(Self {
            admin_url: admin_url.to_owned(),
            url: format!("{base}/{name}"),
            name,
        })
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // Drop may run inside the bench's runtime: give the cleanup a runtime of its own.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                if let Ok(admin) = Database::connect(admin_url.as_str()).await {
                    let _ = admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await;
                    admin.close().await.ok();
                }
            });
        })
        .join();
    }
}
