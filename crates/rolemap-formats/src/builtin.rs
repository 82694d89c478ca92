//! The built-in operations framework and the demo organisation, kept as readable TOML files in
//! `builtin/` and read through the same readers as a user's own files.

use rolemap_core::bundle::{FrameworkBundle, PeopleBundle};

use crate::diagnostic::Diagnostics;
use crate::{read_framework, read_people};

/// One embedded file: its name (for diagnostics and for users who copy it) and its text.
#[derive(Debug, Clone, Copy)]
pub struct BuiltinFile {
    pub name: &'static str,
    pub text: &'static str,
}

macro_rules! builtin {
    ($name:literal) => {
        BuiltinFile {
            name: concat!("builtin/", $name),
            text: include_str!(concat!("../builtin/", $name)),
        }
    };
}

/// The frameworks drawn from the source documents, in the order they are imported.
pub const FRAMEWORK_FILES: [BuiltinFile; 4] = [
    builtin!("odp.toml"),
    builtin!("standards.toml"),
    builtin!("esco-extract.toml"),
    builtin!("ops-compared.toml"),
];

/// A fictional operations team, for trying rolemap out. Marked as demo data.
pub const DEMO_FILE: BuiltinFile = builtin!("demo.toml");

/// Reads every built-in framework.
pub fn frameworks() -> Result<Vec<FrameworkBundle>, Diagnostics> {
    let mut bundles = Vec::new();
    let mut problems = Vec::new();
    for file in FRAMEWORK_FILES {
        match read_framework(file.text, file.name) {
            Ok(bundle) => bundles.push(bundle),
            Err(Diagnostics(list)) => problems.extend(list),
        }
    }
    if problems.is_empty() {
        Ok(bundles)
    } else {
        Err(Diagnostics(problems))
    }
}

/// Reads the demo organisation.
pub fn demo() -> Result<PeopleBundle, Diagnostics> {
    read_people(DEMO_FILE.text, DEMO_FILE.name)
}

#[cfg(test)]
mod tests {
    #[test]
    fn builtin_files_read_cleanly() {
        if let Err(e) = super::frameworks() {
            panic!("{e}");
        }
        if let Err(e) = super::demo() {
            panic!("{e}");
        }
    }
}
