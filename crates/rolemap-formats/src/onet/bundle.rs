//! An O*NET release as a rolemap framework: occupations as roles, tasks as duties, rated skills
//! as requirements on O*NET's level scale, titles as alternative and typical titles, related
//! occupations as links.

use super::*;

/// The framework an O*NET release becomes (key [`FRAMEWORK_KEY`], version the release).
///
/// A skill is a requirement of an occupation where [`SkillRating::is_requirement`] says so. Its
/// level is the level (LV) rounded to the nearest whole level of the scale (4.75 to 5), since a
/// rolemap level is one of a scale's levels; the note keeps both published values as written
/// (`IM 4.12 of 1-5, LV 4.75 of 0-7`). It is essential when the importance
/// is [`ESSENTIAL_IMPORTANCE`] or more, optional otherwise.
pub fn to_bundle(data: &OnetData) -> FrameworkBundle {
    let level_scale = level_scale(&data.level_scale);
    let skills = data
        .skills
        .iter()
        .map(|s| SkillDef {
            key: s.id.clone(),
            label: s.name.clone(),
            alt_labels: Vec::new(),
            description: s.description.clone(),
            kind: SkillKind::Skill,
            reuse: None,
            tags: if s.group.is_empty() {
                Vec::new()
            } else {
                vec![s.group.clone()]
            },
            scale: level_scale.as_ref().map(|s| s.key().to_owned()),
        })
        .collect();
    let roles = data
        .occupations
        .iter()
        .map(|o| role(data, o, level_scale.is_some()))
        .collect();
    let links = data
        .related
        .iter()
        .map(|r| LinkDef {
            from: rolemap_core::bundle::ConceptRef {
                framework: None,
                key: r.from.clone(),
            },
            to: rolemap_core::bundle::ConceptRef {
                framework: None,
                key: r.to.clone(),
            },
            kind: LinkKind::Related,
            note: match (r.tier.is_empty(), r.index) {
                (true, 0) => String::new(),
                (false, 0) => r.tier.clone(),
                (true, index) => format!("#{index}"),
                (false, index) => format!("{} #{index}", r.tier),
            },
            origin: Origin {
                file: RELATED_OCCUPATIONS.to_owned(),
                line: r.line,
                field: "Related O*NET-SOC Code".to_owned(),
            },
        })
        .collect();
    FrameworkBundle {
        framework: FrameworkMeta {
            key: FRAMEWORK_KEY.to_owned(),
            name: "O*NET".to_owned(),
            version: data.release.clone(),
            source: format!(
                "O*NET {} Database, text release (https://www.onetcenter.org/database.html)",
                data.release
            ),
            licence: "CC BY 4.0".to_owned(),
            attribution: format!(
                "O*NET {} Database by the U.S. Department of Labor, Employment and Training \
                 Administration (USDOL/ETA), used under the CC BY 4.0 license",
                data.release
            ),
            description: "Occupations of the O*NET-SOC taxonomy with their tasks, alternate and \
                          reported titles, job zones, related occupations and skills rated by \
                          importance (IM) and level (LV)."
                .to_owned(),
        },
        scales: level_scale.into_iter().collect(),
        ladders: Vec::new(),
        families: Vec::new(),
        skills,
        roles,
        links,
    }
}

/// O*NET's level scale (LV, 0-7 in every release so far) as a rolemap scale: one level a whole
/// number. `None` if the release gives a range no scale can hold.
fn level_scale(range: &ScaleRange) -> Option<Scale> {
    let levels = (range.min..=range.max)
        .map(|n| LevelDef {
            code: n.to_string(),
            name: format!("Level {n}"),
            descriptor: format!(
                "{n} on O*NET's {} scale ({}, {} to {}); Level Scale Anchors.txt describes \
                 each skill at some of its levels",
                range.name, range.id, range.min, range.max
            ),
        })
        .collect();
    Scale::new(LEVEL_SCALE_KEY, format!("O*NET {}", range.name), levels).ok()
}

fn role(data: &OnetData, occupation: &Occupation, levels: bool) -> RoleDef {
    let mut alt_titles: Vec<String> = Vec::new();
    for title in occupation
        .alternate_titles
        .iter()
        .chain(occupation.short_titles.iter().map(|(_, short)| short))
    {
        if !alt_titles.contains(title) {
            alt_titles.push(title.clone());
        }
    }
    let mut typical_titles: Vec<String> = Vec::new();
    for title in &occupation.reported_titles {
        if !typical_titles.contains(title) {
            typical_titles.push(title.clone());
        }
    }
    let (im, lv) = (&data.importance_scale, &data.level_scale);
    let requirements = occupation
        .ratings
        .iter()
        .filter(|r| r.is_requirement())
        .map(|r| {
            let importance = r.importance.number.unwrap_or_default();
            let level = r.level.number.unwrap_or_default();
            RequirementDef {
                skill: data.skills[r.skill].id.clone(),
                importance: if importance >= ESSENTIAL_IMPORTANCE {
                    Importance::Essential
                } else {
                    Importance::Optional
                },
                emphasis: false,
                levels: Vec::new(),
                level: levels.then(|| {
                    // Within the scale: the reader refuses values outside it.
                    (level.round() as i32).clamp(lv.min, lv.max).to_string()
                }),
                note: format!(
                    "{} {} of {}-{}, {} {} of {}-{}",
                    im.id, r.importance.value, im.min, im.max, lv.id, r.level.value, lv.min, lv.max
                ),
            }
        })
        .collect();
    RoleDef {
        key: occupation.code.clone(),
        title: occupation.title.clone(),
        alt_titles,
        typical_titles,
        summary: String::new(),
        description: occupation.description.clone(),
        family: None,
        level: occupation.job_zone,
        ladder: None,
        grades: Vec::new(),
        codes: vec![Code {
            scheme: CODE_SCHEME.to_owned(),
            value: occupation.code.clone(),
        }],
        duties: occupation
            .tasks
            .iter()
            .map(|t| Duty {
                number: t.id,
                text: t.text.clone(),
                category: t.kind.as_str().to_owned(),
            })
            .collect(),
        responsibilities: Vec::new(),
        routes_in: String::new(),
        transferable_skills: String::new(),
        typical_employers: String::new(),
        duration: String::new(),
        dimensions: Vec::new(),
        requirements,
    }
}
