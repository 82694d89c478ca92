//! The kinds of ESCO file: a file's kind from its name, the files a release must hold, the
//! columns each kind has.

use super::*;

/// What kind of ESCO file a name denotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Kind {
    Occupations,
    Skills,
    IscoGroups,
    SkillGroups,
    Hierarchy,
    Schemes,
    OccupationSkills,
    SkillSkills,
    Broader(Pillar),
    Collection { tag: String, occupations: bool },
}

/// The kind of file, from its name: any folder, `.csv` and an `_en` (or other language) suffix
/// are ignored, and case does not matter.
pub(super) fn kind_of(name: &str) -> Option<Kind> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let lower = base.to_ascii_lowercase();
    let stem = lower.strip_suffix(".csv")?;
    let stem = match stem.rsplit_once('_') {
        Some((head, lang)) if lang.len() == 2 => head,
        _ => stem,
    };
    Some(match stem {
        "occupations" => Kind::Occupations,
        "skills" => Kind::Skills,
        "iscogroups" => Kind::IscoGroups,
        "skillgroups" => Kind::SkillGroups,
        "skillshierarchy" => Kind::Hierarchy,
        "conceptschemes" => Kind::Schemes,
        "occupationskillrelations" => Kind::OccupationSkills,
        "skillskillrelations" => Kind::SkillSkills,
        "broaderrelationsoccpillar" => Kind::Broader(Pillar::Occupations),
        "broaderrelationsskillpillar" => Kind::Broader(Pillar::Skills),
        other => {
            let name = other.strip_suffix("collection")?;
            if let Some(tag) = name.strip_suffix("occupations") {
                Kind::Collection {
                    tag: tag.to_owned(),
                    occupations: true,
                }
            } else {
                let tag = name.strip_suffix("skills").unwrap_or(name);
                Kind::Collection {
                    tag: tag.to_owned(),
                    occupations: false,
                }
            }
        }
    })
}

/// The files every ESCO release (v1.1 and v1.2) holds besides its collections, with the name the
/// English download gives each. A release without one of them is refused: leaving out, say, the
/// skill-skill relations would store a framework that silently lacks them. Collections differ
/// between releases, so none is required.
pub(super) const RELEASE_FILES: [(Kind, &str); 10] = [
    (Kind::Occupations, "occupations_en.csv"),
    (Kind::Skills, "skills_en.csv"),
    (Kind::IscoGroups, "ISCOGroups_en.csv"),
    (Kind::SkillGroups, "skillGroups_en.csv"),
    (Kind::Hierarchy, "skillsHierarchy_en.csv"),
    (Kind::Schemes, "conceptSchemes_en.csv"),
    (Kind::OccupationSkills, "occupationSkillRelations.csv"),
    (Kind::SkillSkills, "skillSkillRelations.csv"),
    (
        Kind::Broader(Pillar::Occupations),
        "broaderRelationsOccPillar.csv",
    ),
    (
        Kind::Broader(Pillar::Skills),
        "broaderRelationsSkillPillar.csv",
    ),
];

/// The columns a file kind must have, and those it may have.
pub(super) fn columns(kind: &Kind) -> (&'static [&'static str], &'static [&'static str]) {
    match kind {
        Kind::Occupations => (
            &[
                "conceptUri",
                "iscoGroup",
                "preferredLabel",
                "altLabels",
                "hiddenLabels",
                "status",
                "modifiedDate",
                "regulatedProfessionNote",
                "scopeNote",
                "definition",
                "description",
            ],
            &["code"],
        ),
        Kind::Skills => (
            &[
                "conceptUri",
                "skillType",
                "reuseLevel",
                "preferredLabel",
                "altLabels",
                "hiddenLabels",
                "status",
                "modifiedDate",
                "scopeNote",
                "definition",
                "description",
            ],
            &[],
        ),
        Kind::IscoGroups => (
            &["conceptUri", "code", "preferredLabel"],
            &["altLabels", "status", "description"],
        ),
        Kind::SkillGroups => (
            &["conceptUri", "preferredLabel"],
            &[
                "altLabels",
                "hiddenLabels",
                "status",
                "modifiedDate",
                "scopeNote",
                "description",
                "code",
            ],
        ),
        Kind::Hierarchy => (
            &[
                "Level 0 URI",
                "Level 0 preferred term",
                "Level 1 URI",
                "Level 1 preferred term",
                "Level 2 URI",
                "Level 2 preferred term",
                "Level 3 URI",
                "Level 3 preferred term",
            ],
            &[
                "Description",
                "Scope note",
                "Level 0 code",
                "Level 1 code",
                "Level 2 code",
                "Level 3 code",
            ],
        ),
        Kind::Schemes => (&["conceptSchemeUri", "preferredLabel"], &["description"]),
        Kind::OccupationSkills => (&["occupationUri", "relationType", "skillUri"], &[]),
        Kind::SkillSkills => (
            &["originalSkillUri", "relationType", "relatedSkillUri"],
            &[],
        ),
        Kind::Broader(_) => (&["conceptUri", "broaderUri"], &[]),
        Kind::Collection { .. } => (&["conceptUri"], &[]),
    }
}
