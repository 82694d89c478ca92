//! 1EdTech CASE 1.0 packages (the CFPackage JSON of OpenSALT, CaSS and other CASE tools): read,
//! checked, mapped to a rolemap framework, and written back.
//!
//! rolemap's model holds far less than CASE does (association types, sequence numbers and
//! groupings, definitions, rubric criteria, links to nodes outside the package), so a package is
//! kept whole: every CFDocument, CFItem, CFAssociation and CFRubric object, and the CFDefinitions
//! object, as the JSON it was read as ([`CaseObject`]), in file order. Writing a package writes
//! those objects back, so identifiers, URIs, every field and every string come out as they came
//! in (JSON escapes may differ; the text they stand for does not). Object keys are written in
//! sorted order and the whole with two-space indents, so a package written, read and written again
//! is the same bytes.
//!
//! [`to_bundle`] gives the framework rolemap works with: items become skills (key = identifier),
//! each rubric criterion's levels become a proficiency scale (lowest score first) attached to the
//! item the criterion names. [`from_bundle`] does the reverse for frameworks that did not come from
//! CASE (the built-in ones): skills become items, children of the document in their order, and
//! each scale becomes a rubric whose levels score 1, 2, 3 ... by rank.

use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};

use rolemap_core::bundle::{FrameworkBundle, FrameworkMeta, SkillDef};
use rolemap_core::{LevelDef, Scale, SkillKind};
use serde_json::{Map, Value};

use crate::diagnostic::{Diagnostic, Diagnostics};

mod from_bundle;
mod package;
mod read;
pub mod sheets;
mod to_bundle;

pub use from_bundle::*;
pub use package::*;
pub use read::*;
pub use to_bundle::*;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_compares_numbers_as_numbers() {
        use std::cmp::Ordering::*;
        assert_eq!(natural("OPS.2", "OPS.10"), Less);
        assert_eq!(natural("OPS.10", "OPS.10"), Equal);
        assert_eq!(natural("b", "a1"), Greater);
        assert_eq!(natural("", "a"), Greater);
        assert_eq!(natural("A.02", "A.1"), Greater);
    }

    #[test]
    fn name_uuids_are_stable_uuids() {
        let a = name_uuid("rolemap:odp:1:document");
        assert_eq!(a, name_uuid("rolemap:odp:1:document"));
        assert_ne!(a, name_uuid("rolemap:odp:1:skill:x"));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "8", "version 8: {a}");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "variant: {a}");
    }
}
