//! Movements by address: each movement's slug (`/m/{slug}/graphql`), chosen when it is founded
//! and looked up by the routes and the command line. The slug belongs to storage and the
//! server: `governance_core::Organization` does not carry it, and no event records it.

use super::entity::organizations;
use super::{Store, StoreError};
use governance_core::{Label, OrganizationId, Slug};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashSet;
use uuid::Uuid;

impl Store {
    /// The movement at `slug`, if any; a text that is not a slug names none.
    pub async fn organization_by_slug(
        &self,
        slug: &str,
    ) -> Result<Option<OrganizationId>, StoreError> {
        let id = organizations::Entity::find()
            .select_only()
            .column(organizations::Column::Id)
            .filter(organizations::Column::Slug.eq(slug))
            .into_tuple::<Uuid>()
            .one(self.connection())
            .await?;
        Ok(id.map(OrganizationId::from_uuid))
    }

    /// Every movement's id, slug and name, oldest first (the order `organizations` lists them).
    pub async fn slugs(&self) -> Result<Vec<(OrganizationId, Slug, Label)>, StoreError> {
        let rows = organizations::Entity::find()
            .select_only()
            .columns([
                organizations::Column::Id,
                organizations::Column::Slug,
                organizations::Column::Name,
            ])
            .order_by_asc(organizations::Column::CreatedAt)
            .order_by_asc(organizations::Column::Id)
            .into_tuple::<(Uuid, String, String)>()
            .all(self.connection())
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, slug, name)| {
                (
                    OrganizationId::from_uuid(id),
                    Slug::from_stored(&slug),
                    Label::from_stored(&name),
                )
            })
            .collect())
    }
}

/// The slug a movement being founded gets, read inside the founding's transaction: `asked` if
/// it is free, or else refused (`SlugTaken`); without one, the slug of `name`, numbered `-2`,
/// `-3`, … past those taken. The unique index catches a founding that raced this one from
/// another process (PostgreSQL), and nothing is stored then either.
pub(super) async fn slug_for<C: ConnectionTrait>(
    db: &C,
    name: &Label,
    asked: Option<Slug>,
) -> Result<Slug, StoreError> {
    let taken: HashSet<String> = organizations::Entity::find()
        .select_only()
        .column(organizations::Column::Slug)
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    match asked {
        Some(slug) if taken.contains(slug.as_str()) => Err(StoreError::SlugTaken(slug)),
        Some(slug) => Ok(slug),
        None => Ok(Slug::from_name(name.as_str()).first_free(|s| taken.contains(s.as_str()))),
    }
}

#[cfg(test)]
mod tests {
    use governance_core::Slug;
    use proptest::prelude::*;
    use std::collections::HashSet;

    /// What the slug migration's backfill would give these names, computed with the core's
    /// `Slug` (the reference), the way `slug_for` numbers a new movement's slug.
    fn core_backfill(names: &[String]) -> Vec<String> {
        let mut taken = HashSet::new();
        names
            .iter()
            .map(|name| {
                let slug = Slug::from_name(name).first_free(|s| taken.contains(s.as_str()));
                taken.insert(slug.to_string());
                slug.to_string()
            })
            .collect()
    }

    #[track_caller]
    fn check_agree(names: &[&str]) {
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        assert_eq!(migrations::backfill_slugs(&names), core_backfill(&names));
    }

    #[test]
    fn the_slug_migration_derives_slugs_as_the_core_does() {
        check_agree(&[
            "Collectif des Tilleuls",
            "Collectif des tilleuls !",
            "Œuvre & Cœur — Lyon",
            "Straße der Æsir, Ørsted, Łódź, Þór",
            "GraphQL",
            "m",
            "Mouvement",
            "Дружба",
            "",
            "0192f3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d",
            "0192f3c45e6f7a8b9c0d1e2f3a4b5c6d",
            "Association des habitantes et habitants du quartier",
            "Association des habitantes et habitants du quartier nord",
            &format!("{} b", "a".repeat(47)),
            &format!("{}-bc", "a".repeat(45)),
            &format!("{}-bc", "a".repeat(45)),
        ]);
    }

    proptest! {
        #[test]
        fn the_slug_migration_agrees_with_the_core_on_any_names(
            names in prop::collection::vec("\\PC{0,60}", 0..6)
        ) {
            let from_migration = migrations::backfill_slugs(&names);
            prop_assert_eq!(from_migration, core_backfill(&names));
        }

        #[test]
        fn the_slug_migration_agrees_with_the_core_on_colliding_names(
            names in prop::collection::vec("[aeéŒß0 -]{0,3}", 0..12)
        ) {
            let from_migration = migrations::backfill_slugs(&names);
            prop_assert_eq!(from_migration, core_backfill(&names));
        }
    }
}
