//! Where a person stands against a role at a grade: per skill met, below, above or unassessed, a
//! readiness figure, and a ranked development list that says why each item is on it.
//!
//! Readiness is the weighted share of requirements satisfied. Essential requirements weigh 1.0 and
//! optional ones 0.5. A requirement met or exceeded counts in full; one below counts in proportion
//! (held rank / required rank, so Working against Practitioner counts 2/3); an unassessed one counts
//! nothing. Where the source gives no minimum level, any assessment counts in full, except the held
//! level "none" (assessed as not having the skill), which is a gap wherever the role asks for the
//! skill: below, with no credit, and never confused with unassessed. A role that lists no skill
//! requirements has no readiness at all: there is nothing to be ready in, and "100%" would claim
//! every requirement met.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use crate::id::SkillId;
use crate::person::{Assessment, Held, current_levels};
use crate::role::{Importance, RequiredLevel, Requirement, Role, RoleSummary, SkillRef};

/// How a person's level compares with a requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    Below,
    Unassessed,
    Met,
    Above,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Below => "below",
            Status::Unassessed => "unassessed",
            Status::Met => "met",
            Status::Above => "above",
        }
    }

    /// True where the person has what the role asks.
    pub fn satisfied(self) -> bool {
        matches!(self, Status::Met | Status::Above)
    }
}

/// One requirement checked against the person.
#[derive(Debug, Clone, PartialEq)]
pub struct GapLine {
    pub skill: SkillRef,
    pub importance: Importance,
    pub emphasis: bool,
    pub required: RequiredLevel,
    pub held: Option<Held>,
    pub status: Status,
    /// Levels still to climb (0 when satisfied; the full required rank when unassessed).
    pub steps: u8,
    /// This line's share of readiness, 0.0 to 1.0 before weighting.
    pub credit: f64,
    /// One sentence saying why the line stands as it does.
    pub why: String,
}

/// The whole gap between a person and a role at a grade.
#[derive(Debug, Clone, PartialEq)]
pub struct GapReport {
    pub role: RoleSummary,
    pub attribution: String,
    pub grade: Option<String>,
    /// In the role's requirement order.
    pub lines: Vec<GapLine>,
    /// 0 to 100, rounded to one decimal; `None` when the role lists no skill requirements.
    pub readiness: Option<f64>,
    /// Indexes into `lines` of what to develop, most pressing first.
    pub development: Vec<usize>,
}

impl GapReport {
    pub fn count(&self, status: Status) -> usize {
        self.lines.iter().filter(|l| l.status == status).count()
    }

    pub fn development_lines(&self) -> impl Iterator<Item = &GapLine> {
        self.development.iter().map(|&i| &self.lines[i])
    }
}

/// Checks a person's assessments against a role at a grade (`None` for roles without grades).
pub fn analyse(role: &Role, grade: Option<&str>, assessments: &[Assessment]) -> GapReport {
    analyse_with(role, grade, &current_levels(assessments))
}

/// As [`analyse`], with current levels already worked out (a team matrix reuses them).
pub fn analyse_with(role: &Role, grade: Option<&str>, held: &BTreeMap<SkillId, Held>) -> GapReport {
    let grade_label = grade.map(|g| format!(" at {g}")).unwrap_or_default();
    let lines: Vec<GapLine> = role
        .requirements
        .iter()
        .map(|requirement| {
            line(
                requirement,
                grade,
                held.get(&requirement.skill.id),
                &grade_label,
            )
        })
        .collect();

    let (mut earned, mut possible) = (0.0, 0.0);
    for line in &lines {
        let weight = line.importance.weight();
        earned += weight * line.credit;
        possible += weight;
    }
    let readiness = readiness(earned, possible);

    let mut development: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].status.satisfied())
        .collect();
    development.sort_by(|&a, &b| development_order(&lines[a], &lines[b]));

    GapReport {
        role: role.summary_view(),
        attribution: role.attribution.clone(),
        grade: grade.map(str::to_owned),
        lines,
        readiness,
        development,
    }
}

/// The readiness figure from the weighted credit earned and the weight possible: 0 to 100, one
/// decimal; `None` when nothing is possible (a role without skill requirements). Every readiness
/// rolemap shows comes from here, so a gap report and a route give one figure.
pub fn readiness(earned: f64, possible: f64) -> Option<f64> {
    (possible > 0.0).then(|| (earned / possible * 1000.0).round() / 10.0)
}

/// Essential before optional, emphasised before not, larger gaps first, then by label.
fn development_order(a: &GapLine, b: &GapLine) -> Ordering {
    a.importance
        .cmp(&b.importance)
        .then_with(|| b.emphasis.cmp(&a.emphasis))
        .then_with(|| b.steps.cmp(&a.steps))
        .then_with(|| {
            a.skill
                .label
                .to_lowercase()
                .cmp(&b.skill.label.to_lowercase())
        })
}

fn line(
    requirement: &Requirement,
    grade: Option<&str>,
    held: Option<&Held>,
    grade_label: &str,
) -> GapLine {
    let required = requirement.required_at(grade);
    let importance = requirement.importance.as_str();
    let label = &requirement.skill.label;
    let (status, steps, credit, why) = match (&required, held) {
        (RequiredLevel::Specified(need), None) => (
            Status::Unassessed,
            need.rank(),
            0.0,
            format!(
                "{label} is {importance}; the role needs {need}{grade_label} and it has not been assessed"
            ),
        ),
        (RequiredLevel::NotSpecified, None) => (
            Status::Unassessed,
            1,
            0.0,
            format!(
                "{label} is {importance}; no minimum level is published{grade_label} and it has not been assessed"
            ),
        ),
        (RequiredLevel::NotSpecified, Some(h)) if h.current.level.is_none() => (
            Status::Below,
            1,
            0.0,
            format!(
                "{label} is {importance}; no minimum level is published{grade_label}, assessed as not held ({})",
                provenance(h)
            ),
        ),
        (RequiredLevel::NotSpecified, Some(h)) => (
            Status::Met,
            0,
            1.0,
            format!(
                "{label}: no minimum level is published{grade_label}; assessed at {} ({})",
                h.current.level,
                provenance(h)
            ),
        ),
        (RequiredLevel::Specified(need), Some(h)) => {
            let have = &h.current.level;
            let source = provenance(h);
            match have.rank().cmp(&need.rank()) {
                Ordering::Less => {
                    let steps = need.rank() - have.rank();
                    (
                        Status::Below,
                        steps,
                        f64::from(have.rank()) / f64::from(need.rank()),
                        format!(
                            "{label} is {importance}; the role needs {need}{grade_label}, assessed at {have} ({source}): {steps} level{} to go",
                            if steps == 1 { "" } else { "s" }
                        ),
                    )
                }
                Ordering::Equal => (
                    Status::Met,
                    0,
                    1.0,
                    format!(
                        "{label}: the role needs {need}{grade_label}, assessed at {have} ({source})"
                    ),
                ),
                Ordering::Greater => (
                    Status::Above,
                    0,
                    1.0,
                    format!(
                        "{label}: the role needs {need}{grade_label}, assessed above it at {have} ({source})"
                    ),
                ),
            }
        }
    };
    GapLine {
        skill: requirement.skill.clone(),
        importance: requirement.importance,
        emphasis: requirement.emphasis,
        required,
        held: held.cloned(),
        status,
        steps,
        credit,
        why,
    }
}

/// "manager, 2026-03-02"; for an assessment of a mapped skill, "manager, 2026-03-02, as Data and
/// insight, mapped close, assessed Practitioner".
fn provenance(held: &Held) -> String {
    let assessment = &held.current;
    let mut text = format!("{}, {}", assessment.source, assessment.date());
    if let Some(via) = &held.via {
        text.push_str(&format!(
            ", as {}, mapped {}",
            assessment.skill_label,
            via.kind.as_str()
        ));
        if let Some(assessed) = &via.assessed {
            text.push_str(&format!(", assessed {assessed} on its own scale"));
        }
    }
    text
}

#[cfg(test)]
pub(crate) mod fixture {
    use crate::id::{RoleId, SkillId};
    use crate::level::odp_scale;
    use crate::role::{Importance, RequiredLevel, Requirement, Role, SkillKind, SkillRef};

    pub(crate) fn skill(id: i64, label: &str) -> SkillRef {
        SkillRef {
            id: SkillId(id),
            key: label.to_lowercase().replace(' ', "-"),
            label: label.to_owned(),
            kind: SkillKind::Skill,
            reuse: None,
            tags: Vec::new(),
            description: format!("{label} description"),
            scale: Some(odp_scale()),
        }
    }

    /// A requirement with levels per grade, written as "EO=W HEO=P SEO=-".
    pub(crate) fn requirement(
        id: i64,
        label: &str,
        importance: Importance,
        levels: &str,
    ) -> Requirement {
        let scale = odp_scale();
        Requirement {
            skill: skill(id, label),
            importance,
            emphasis: false,
            levels: levels
                .split_whitespace()
                .map(|pair| {
                    let (grade, code) = pair.split_once('=').unwrap_or((pair, "-"));
                    let level = scale
                        .parse(code)
                        .map(RequiredLevel::Specified)
                        .unwrap_or(RequiredLevel::NotSpecified);
                    (grade.to_owned(), level)
                })
                .collect(),
            level: RequiredLevel::NotSpecified,
            note: String::new(),
        }
    }

    pub(crate) fn role(
        id: i64,
        title: &str,
        grades: &[&str],
        requirements: Vec<Requirement>,
    ) -> Role {
        Role {
            id: RoleId(id),
            framework_key: "odp".into(),
            framework_name: "ODP".into(),
            attribution: "test attribution".into(),
            key: title.to_lowercase().replace(' ', "-"),
            title: title.into(),
            alt_titles: Vec::new(),
            typical_titles: Vec::new(),
            summary: format!("{title} summary"),
            description: String::new(),
            family: None,
            level: None,
            ladder: None,
            grades: grades.iter().map(|g| (*g).to_owned()).collect(),
            codes: Vec::new(),
            duties: Vec::new(),
            responsibilities: vec![format!("{title} responsibility")],
            routes_in: String::new(),
            transferable_skills: String::new(),
            typical_employers: String::new(),
            duration: String::new(),
            dimensions: Vec::new(),
            requirements,
            links: Vec::new(),
        }
    }

    /// Team Leader as the ODP framework publishes it.
    pub(crate) fn team_leader() -> Role {
        role(
            1,
            "Team Leader",
            &["EO", "HEO", "SEO"],
            vec![
                requirement(
                    1,
                    "Connections and communication",
                    Importance::Essential,
                    "EO=W HEO=W SEO=W",
                ),
                requirement(
                    2,
                    "Operational leadership and management",
                    Importance::Essential,
                    "EO=W HEO=W SEO=P",
                ),
                requirement(
                    3,
                    "Adaptability to change",
                    Importance::Essential,
                    "EO=A HEO=W SEO=W",
                ),
                requirement(
                    4,
                    "Data and insight",
                    Importance::Essential,
                    "EO=A HEO=W SEO=P",
                ),
                requirement(
                    5,
                    "Delivery and decision making at pace",
                    Importance::Essential,
                    "EO=A HEO=W SEO=P",
                ),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::fixture::*;
    use super::*;
    use crate::person::{Source, assessment};
    use crate::role::Importance;

    fn check(grade: &str, assessments: &[Assessment]) -> GapReport {
        analyse(&team_leader(), Some(grade), assessments)
    }

    #[test]
    fn statuses_cover_met_below_above_and_unassessed() {
        let report = check(
            "SEO",
            &[
                assessment(1, "W", 2, Source::Manager, "2026-01-01T00:00:00Z", 1),
                assessment(2, "W", 2, Source::Manager, "2026-01-01T00:00:00Z", 2),
                assessment(3, "E", 4, Source::SelfAssessed, "2026-01-01T00:00:00Z", 3),
                assessment(4, "A", 1, Source::Manager, "2026-01-01T00:00:00Z", 4),
            ],
        );
        let statuses: Vec<Status> = report.lines.iter().map(|l| l.status).collect();
        assert_eq!(
            statuses,
            vec![
                Status::Met,
                Status::Below,
                Status::Above,
                Status::Below,
                Status::Unassessed
            ]
        );
        // 1 + 2/3 + 1 + 1/3 + 0 of 5.
        assert_eq!(report.readiness, Some(60.0));
    }

    #[test]
    fn development_list_puts_largest_gaps_first_and_says_why() {
        let report = check(
            "SEO",
            &[
                assessment(2, "W", 2, Source::Manager, "2026-01-01T00:00:00Z", 1),
                assessment(4, "A", 1, Source::Manager, "2026-02-03T00:00:00Z", 2),
            ],
        );
        let order: Vec<&str> = report
            .development_lines()
            .map(|l| l.skill.label.as_str())
            .collect();
        // Unassessed P needs 3 steps, A->P 2, unassessed W 2, W->P 1.
        assert_eq!(
            order,
            vec![
                "Delivery and decision making at pace",
                "Adaptability to change",
                "Connections and communication",
                "Data and insight",
                "Operational leadership and management",
            ]
        );
        let data = report
            .lines
            .iter()
            .find(|l| l.skill.label == "Data and insight")
            .map(|l| l.why.clone());
        assert_eq!(
            data.as_deref(),
            Some(
                "Data and insight is essential; the role needs Practitioner (P) at SEO, assessed at A (A) (manager, 2026-02-03): 2 levels to go"
            )
        );
    }

    #[test]
    fn essential_comes_before_optional_whatever_the_size() {
        let mut role = team_leader();
        role.requirements[0].importance = Importance::Optional;
        let report = analyse(&role, Some("SEO"), &[]);
        let last = report
            .development_lines()
            .last()
            .map(|l| l.skill.label.clone());
        assert_eq!(last.as_deref(), Some("Connections and communication"));
    }

    #[test]
    fn blank_cells_are_not_invented() {
        let role = role(
            9,
            "Business Management",
            &["EO", "HEO", "SEO", "G7"],
            vec![requirement(
                1,
                "Connections and communication",
                Importance::Essential,
                "EO=W HEO=P SEO=- G7=-",
            )],
        );
        let assessed = [assessment(
            1,
            "A",
            1,
            Source::SelfAssessed,
            "2026-01-01T00:00:00Z",
            1,
        )];
        let report = analyse(&role, Some("G7"), &assessed);
        assert_eq!(report.lines[0].required, RequiredLevel::NotSpecified);
        assert_eq!(report.lines[0].status, Status::Met);
        assert!(
            report.lines[0]
                .why
                .contains("no minimum level is published at G7")
        );
        let report = analyse(&role, Some("HEO"), &assessed);
        assert_eq!(report.lines[0].status, Status::Below);
    }

    #[test]
    fn a_held_level_of_none_is_a_gap_and_not_unassessed() {
        let none = |skill: i64, id: i64| Assessment {
            level: crate::Level::none(),
            ..assessment(
                skill,
                "none",
                0,
                Source::SelfAssessed,
                "2026-01-01T00:00:00Z",
                id,
            )
        };
        let report = check("SEO", &[none(1, 1)]);
        assert_eq!(report.lines[0].status, Status::Below);
        assert_eq!(report.lines[0].steps, 2);
        assert_eq!(report.lines[0].credit, 0.0);
        assert!(
            report.lines[0].why.contains("assessed at none (not held)"),
            "{}",
            report.lines[0].why
        );
        assert_eq!(report.count(Status::Unassessed), 4);

        // Where no minimum is published, any level meets it, but not "none".
        let blank = role(
            9,
            "Held or not",
            &[],
            vec![requirement(
                1,
                "Connections and communication",
                Importance::Essential,
                "",
            )],
        );
        let report = analyse(&blank, None, &[none(1, 1)]);
        assert_eq!(report.lines[0].status, Status::Below);
        assert_eq!(report.readiness, Some(0.0));
        assert!(report.lines[0].why.contains("assessed as not held"));
        assert_eq!(report.development, vec![0]);
    }

    #[test]
    fn a_role_without_requirements_has_no_readiness_figure() {
        let report = analyse(&role(3, "Empty", &[], Vec::new()), None, &[]);
        assert_eq!(report.readiness, None);
        assert!(report.development.is_empty());
    }
}
