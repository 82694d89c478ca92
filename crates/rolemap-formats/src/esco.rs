//! The ESCO classification as published: the CSV files of the classification zip and the relations
//! zip (`occupations_en.csv`, `skills_en.csv`, `occupationSkillRelations.csv`, ...).
//!
//! [`EscoReader`] takes each file as a reader with the name the caller gives it, and checks
//! everything at once: CSV syntax, rows whose columns do not line up with the header, missing
//! required columns, URIs defined twice, relations to concepts no file defines. It returns the whole
//! model ([`EscoData`]) or every problem. [`open`] finds the files in the zips as downloaded or in the
//! folders they unpack to. [`to_bundle`] turns the model into a framework bundle: occupations become
//! roles, skills become skills, occupation-skill relations become requirements (without levels:
//! ESCO publishes none), collections become skill tags.
//!
//! Column sets of ESCO v1.1.x and v1.2 are both read: columns are found by name, unknown extra
//! columns are ignored, and a missing required column is an error. For CSV files a diagnostic's
//! `column` is the 1-based CSV column.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::hash::BuildHasherDefault;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rolemap_core::bundle::{FrameworkBundle, FrameworkMeta, RequirementDef, RoleDef, SkillDef};
use rolemap_core::{Code, Importance, ReuseLevel, SkillKind};

use crate::diagnostic::{Diagnostic, Diagnostics};

/// The framework key ESCO is stored under.
pub const FRAMEWORK_KEY: &str = "esco";
/// The acknowledgement ESCO's licence asks for, shown wherever ESCO data is shown.
pub const ATTRIBUTION: &str = "ESCO, European Commission";

mod bundle;
mod files;
mod model;
mod open;
mod reader;
mod relations;

pub use bundle::*;
use files::*;
pub use model::*;
pub use open::*;
pub use reader::*;
use relations::*;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_with_or_without_language_suffix() {
        assert_eq!(kind_of("x/occupations_en.csv"), Some(Kind::Occupations));
        assert_eq!(kind_of("Occupations.csv"), Some(Kind::Occupations));
        assert_eq!(kind_of("skillGroups_en.csv"), Some(Kind::SkillGroups));
        assert_eq!(
            kind_of("digCompSkillsCollection_en.csv"),
            Some(Kind::Collection {
                tag: "digcomp".to_owned(),
                occupations: false
            })
        );
        assert_eq!(
            kind_of("researchOccupationsCollection.csv"),
            Some(Kind::Collection {
                tag: "research".to_owned(),
                occupations: true
            })
        );
        assert_eq!(kind_of("readme.txt"), None);
        assert_eq!(kind_of("notes.csv"), None);
    }

    #[test]
    fn versions_from_names() {
        assert_eq!(
            version_in_name("esco-v1.1.1-classification-en-csv.zip").as_deref(),
            Some("1.1.1")
        );
        assert_eq!(
            version_in_name("ESCO dataset - v1.2.0 - classification").as_deref(),
            Some("1.2.0")
        );
        assert_eq!(version_in_name("esco-relations"), None);
    }
}
