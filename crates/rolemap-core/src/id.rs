//! Newtype identifiers for stored records, so a skill id can never be passed where a role id is meant.

use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A stored framework version.
    FrameworkId
);
id_type!(
    /// A stored skill (or knowledge item, behaviour, capability).
    SkillId
);
id_type!(
    /// A stored role (occupation, role profile, standard).
    RoleId
);
id_type!(
    /// A stored person.
    PersonId
);
