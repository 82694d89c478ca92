//! ESCO as a rolemap framework: its metadata and the framework bundle.

use super::*;

/// The framework ESCO is stored as (key, name, version, licence, ...).
pub fn framework_meta(data: &EscoData) -> FrameworkMeta {
    FrameworkMeta {
        key: FRAMEWORK_KEY.to_owned(),
        name: "ESCO".to_owned(),
        version: data.version.clone(),
        source: "https://esco.ec.europa.eu/".to_owned(),
        licence: "European Commission reuse policy (Decision 2011/833/EU): reuse allowed with acknowledgement of the source".to_owned(),
        attribution: ATTRIBUTION.to_owned(),
        description: "European Skills, Competences, Qualifications and Occupations".to_owned(),
    }
}

/// ESCO as a framework bundle: occupations as roles (codes ESCO and ISCO), skills as skills with
/// their collections as tags, occupation-skill relations as requirements without levels.
pub fn to_bundle(data: &EscoData) -> FrameworkBundle {
    let mut tags: HashMap<&str, Vec<String>> = HashMap::new();
    for collection in data.collections.iter().filter(|c| !c.occupations) {
        for member in &collection.members {
            tags.entry(member.as_str())
                .or_default()
                .push(collection.tag.clone());
        }
    }
    let skills = data
        .skills
        .iter()
        .map(|s| SkillDef {
            key: s.uri.clone(),
            label: s.preferred_label.clone(),
            alt_labels: s.alt_labels.clone(),
            description: s.description.clone(),
            kind: if s.skill_type == "knowledge" {
                SkillKind::Knowledge
            } else {
                SkillKind::Skill
            },
            reuse: s.reuse,
            tags: tags.remove(s.uri.as_str()).unwrap_or_default(),
            scale: None,
        })
        .collect();
    let mut requirements: HashMap<&str, Vec<RequirementDef>> = HashMap::new();
    for relation in &data.occupation_skills {
        requirements
            .entry(&*relation.occupation)
            .or_default()
            .push(RequirementDef {
                skill: relation.skill.to_string(),
                importance: relation.importance,
                emphasis: false,
                levels: Vec::new(),
                level: None,
                note: String::new(),
            });
    }
    let roles = data
        .occupations
        .iter()
        .map(|o| {
            let mut codes = Vec::new();
            if !o.code.is_empty() {
                codes.push(Code {
                    scheme: "ESCO".to_owned(),
                    value: o.code.clone(),
                });
            }
            if !o.isco_group.is_empty() {
                codes.push(Code {
                    scheme: "ISCO".to_owned(),
                    value: o.isco_group.clone(),
                });
            }
            RoleDef {
                key: o.uri.clone(),
                title: o.preferred_label.clone(),
                alt_titles: o.alt_labels.clone(),
                typical_titles: Vec::new(),
                summary: String::new(),
                description: o.description.clone(),
                family: None,
                level: None,
                ladder: None,
                grades: Vec::new(),
                codes,
                duties: Vec::new(),
                responsibilities: Vec::new(),
                routes_in: String::new(),
                transferable_skills: String::new(),
                typical_employers: String::new(),
                duration: String::new(),
                dimensions: Vec::new(),
                requirements: requirements.remove(o.uri.as_str()).unwrap_or_default(),
            }
        })
        .collect();
    FrameworkBundle {
        framework: framework_meta(data),
        scales: Vec::new(),
        ladders: Vec::new(),
        families: Vec::new(),
        skills,
        roles,
        links: Vec::new(),
    }
}
