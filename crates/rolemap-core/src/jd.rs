//! A job description built from a role profile at a grade: summary, responsibilities, and essential
//! and desirable criteria worded with the level the grade asks.

use crate::level::Level;
use crate::role::{Code, Dimension, Importance, Role, SkillRef};

/// One criterion: a skill, the level the grade asks, and how the scale words that level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Criterion {
    pub skill: SkillRef,
    pub level: Option<Level>,
    /// The scale's descriptor for the level.
    pub wording: Option<String>,
    pub emphasis: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobDescription {
    pub title: String,
    pub framework: String,
    pub attribution: String,
    pub grade: Option<String>,
    pub family: Option<String>,
    pub level: Option<u8>,
    pub codes: Vec<Code>,
    pub summary: String,
    pub description: String,
    /// What the role is like, aspect by aspect (scope, reporting, budget ...), where the source
    /// describes it that way.
    pub dimensions: Vec<Dimension>,
    pub responsibilities: Vec<String>,
    pub duties: Vec<String>,
    pub essential: Vec<Criterion>,
    pub desirable: Vec<Criterion>,
    pub routes_in: String,
    pub transferable_skills: String,
    pub typical_titles: Vec<String>,
}

/// Writes the job description of a role at a grade (`None` for roles without grades; the caller
/// checks the grade belongs to the role). Emphasised criteria come first, then the role's order.
pub fn job_description(role: &Role, grade: Option<&str>) -> JobDescription {
    let criterion = |importance: Importance| {
        let mut list: Vec<Criterion> = role
            .requirements
            .iter()
            .filter(|r| r.importance == importance)
            .map(|r| {
                let level = r.required_at(grade).level().cloned();
                let wording = level
                    .as_ref()
                    .and_then(|l| r.skill.scale.as_ref().and_then(|s| s.descriptor(l)))
                    .filter(|w| !w.is_empty())
                    .map(str::to_owned);
                Criterion {
                    skill: r.skill.clone(),
                    level,
                    wording,
                    emphasis: r.emphasis,
                }
            })
            .collect();
        list.sort_by_key(|c| !c.emphasis);
        list
    };
    JobDescription {
        title: role.title.clone(),
        framework: role.framework_name.clone(),
        attribution: role.attribution.clone(),
        grade: grade.map(str::to_owned),
        family: role.family.as_ref().map(|f| f.name.clone()),
        level: role.level,
        codes: role.codes.clone(),
        summary: role.summary.clone(),
        description: role.description.clone(),
        dimensions: role.dimensions.clone(),
        responsibilities: role.responsibilities.clone(),
        duties: role.duties.iter().map(|d| d.text.clone()).collect(),
        essential: criterion(Importance::Essential),
        desirable: criterion(Importance::Optional),
        routes_in: role.routes_in.clone(),
        transferable_skills: role.transferable_skills.clone(),
        typical_titles: role.typical_titles.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gap::fixture::*;

    #[test]
    fn criteria_carry_the_grade_level_and_its_wording() {
        let jd = job_description(&team_leader(), Some("SEO"));
        assert_eq!(jd.essential.len(), 5);
        assert!(jd.desirable.is_empty());
        let data = jd
            .essential
            .iter()
            .find(|c| c.skill.label == "Data and insight");
        assert_eq!(
            data.and_then(|c| c.level.as_ref()).map(|l| l.code()),
            Some("P")
        );
        assert_eq!(
            data.and_then(|c| c.wording.as_deref()),
            Some("Practitioner descriptor")
        );
    }

    #[test]
    fn emphasised_criteria_lead_and_optional_ones_are_desirable() {
        let mut role = team_leader();
        role.requirements[3].emphasis = true;
        role.requirements[4].importance = Importance::Optional;
        let jd = job_description(&role, Some("EO"));
        assert_eq!(jd.essential[0].skill.label, "Data and insight");
        assert_eq!(jd.desirable.len(), 1);
        assert_eq!(jd.desirable[0].level.as_ref().map(|l| l.code()), Some("A"));
    }
}
