//! How the core's enums appear in GraphQL: each is mirrored, variant for variant, by a GraphQL
//! enum with `From` both ways, so the API and the core can change independently. Fields that
//! carry such a value as a string (the settings' bodies) print and parse it through the same
//! mirror, with the names the GraphQL enum gives its values.

use async_graphql::resolver_utils::EnumType;

/// A GraphQL enum `$name` (named `$gql` in the schema) mirroring the core's `$core`.
macro_rules! mirror_enum {
    ($(#[$doc:meta])* $name:ident as $gql:literal from $core:ty { $($v:ident),* $(,)? }) => {
        $(#[$doc])*
        #[derive(async_graphql::Enum, Copy, Clone, Eq, PartialEq, Debug)]
        #[graphql(name = $gql)]
        pub enum $name { $($v),* }

        impl From<$core> for $name {
            fn from(v: $core) -> Self {
                match v { $(<$core>::$v => $name::$v),* }
            }
        }

        impl From<$name> for $core {
            fn from(v: $name) -> Self {
                match v { $($name::$v => <$core>::$v),* }
            }
        }
    };
}

pub(crate) use mirror_enum;

/// The name of a mirrored value as GraphQL spells it (`COORDINATION`).
pub(crate) fn name_of<E: EnumType>(value: E) -> &'static str {
    E::items()
        .iter()
        .find(|item| item.value == value)
        .map_or("", |item| item.name)
}

/// The mirrored value GraphQL spells `raw`, if any.
pub(crate) fn parse_name<E: EnumType>(raw: &str) -> Option<E> {
    E::items()
        .iter()
        .find(|item| item.name == raw)
        .map(|item| item.value)
}
