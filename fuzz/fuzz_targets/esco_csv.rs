//! Fuzzes the ESCO CSV reader: any set of files, however malformed, gives data or diagnostics,
//! never a panic.
//!
//! Input layout: one flags byte, then pieces separated by the byte 0xFF (never valid UTF-8, so
//! CSV text needs no escaping). A piece's first byte picks the file name it is given as, the rest
//! is the file's content. Flags: bit 0 `skip_dangling`, bit 1 a known version, bit 2 a release
//! number seen in a folder name (so versions can disagree).

#![no_main]

use libfuzzer_sys::fuzz_target;
use rolemap_formats::esco::{self, EscoOptions, EscoReader};

/// Every file name the reader knows, in the spellings the releases use, plus names it ignores.
const NAMES: &[&str] = &[
    "occupations_en.csv",
    "skills_en.csv",
    "ISCOGroups_en.csv",
    "skillGroups_en.csv",
    "skillsHierarchy_en.csv",
    "conceptSchemes_en.csv",
    "occupationSkillRelations.csv",
    "skillSkillRelations.csv",
    "broaderRelationsOccPillar.csv",
    "broaderRelationsSkillPillar.csv",
    "greenSkillsCollection_en.csv",
    "digCompSkillsCollection_en.csv",
    "digitalSkillsCollection_en.csv",
    "transversalSkillsCollection_en.csv",
    "languageSkillsCollection_en.csv",
    "researchOccupationsCollection_en.csv",
    "esco-v1.2.0/occupations.csv",
    "readme.txt",
    "notes.csv",
];

const SEPARATOR: u8 = 0xFF;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let mut reader = EscoReader::new(EscoOptions {
        version: (flags & 2 != 0).then(|| "1.1.1".to_owned()),
        skip_dangling: flags & 1 != 0,
    });
    if flags & 4 != 0 {
        reader.saw_version("esco-v1.2.0-classification-en-csv.zip", "1.2.0");
    }
    for piece in rest.split(|&b| b == SEPARATOR) {
        let Some((&selector, content)) = piece.split_first() else {
            continue;
        };
        let name = NAMES[usize::from(selector) % NAMES.len()];
        let _ = reader.add(name, content);
    }
    match reader.finish() {
        Ok(data) => {
            let _ = esco::to_bundle(&data);
            for skipped in &data.skipped {
                let _ = skipped.to_string();
            }
        }
        Err(problems) => {
            let _ = problems.to_string();
        }
    }
});
