//! How the core's enums appear in GraphQL: each is mirrored, variant for variant, by a GraphQL
//! enum with `From` both ways, so the API and the core can change independently.

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
