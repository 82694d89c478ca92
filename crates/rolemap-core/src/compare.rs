//! Two roles side by side: their facts, their descriptive dimensions, and their skills (shared,
//! only in one, and the level each asks grade by grade).
//!
//! Roles one step apart on a ladder (Team Leader at EO-SEO, Operations Manager at G7-G6) share no
//! grade, so grade by grade they never meet. The **step** compares them as a person moving from A
//! to B meets them: A at one grade (its top by default) against B at one grade (its entry by
//! default), and for each shared skill the levels to raise.

use std::collections::BTreeSet;

use crate::role::{Importance, RequiredLevel, Requirement, Role, RoleSummary, SkillRef};

/// One row of facts or dimensions: a name and each role's value (empty where it has none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SideBySide {
    pub key: String,
    pub name: String,
    pub a: String,
    pub b: String,
}

impl SideBySide {
    pub fn differs(&self) -> bool {
        self.a != self.b
    }
}

/// The levels two roles ask for a shared skill at one grade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GradeLevels {
    pub grade: String,
    /// `None` where the role is not found at this grade.
    pub a: Option<RequiredLevel>,
    pub b: Option<RequiredLevel>,
    /// B's rank minus A's, where both give a level.
    pub difference: Option<i16>,
}

/// The grades the step compares: A's and B's, `None` for a role without grades (its single
/// level counts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub a_grade: Option<String>,
    pub b_grade: Option<String>,
}

/// The levels A at the step's grade and B at its grade ask for one shared skill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepLevels {
    pub a: RequiredLevel,
    pub b: RequiredLevel,
    /// B's rank minus A's, where both give a level: above 0, the levels to raise.
    pub difference: Option<i16>,
}

impl StepLevels {
    /// The levels to raise moving from A to B (0 where B asks no more, or a level is missing).
    pub fn raise(&self) -> u16 {
        self.difference.map_or(0, |d| d.max(0).unsigned_abs())
    }
}

/// A skill both roles require.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedSkill {
    pub skill: SkillRef,
    pub a_importance: Importance,
    pub b_importance: Importance,
    pub grades: Vec<GradeLevels>,
    /// For roles without grades: each role's single level.
    pub a_level: RequiredLevel,
    pub b_level: RequiredLevel,
    /// The levels at the step's grades.
    pub step: StepLevels,
}

/// A skill only one role requires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneSided {
    pub skill: SkillRef,
    pub importance: Importance,
    /// The levels per grade the role asks (empty for roles without grades).
    pub levels: Vec<(String, RequiredLevel)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub a: RoleSummary,
    pub b: RoleSummary,
    pub attributions: Vec<String>,
    /// Framework, family, level, grades, codes: what each role is.
    pub facts: Vec<SideBySide>,
    /// Descriptive dimensions (scope, budget authority, ...), in A's order then B's extra ones.
    pub dimensions: Vec<SideBySide>,
    pub shared: Vec<SharedSkill>,
    pub only_a: Vec<OneSided>,
    pub only_b: Vec<OneSided>,
    /// The grades the step from A to B compares.
    pub step: Step,
}

impl Comparison {
    /// How many shared skills the step compares: both roles give a level, on one scale.
    pub fn step_compared(&self) -> usize {
        self.shared
            .iter()
            .filter(|s| s.step.difference.is_some())
            .count()
    }

    /// The shared skills B asks more of at the step's grades, and the levels to raise in all.
    pub fn to_raise(&self) -> (usize, u32) {
        self.shared
            .iter()
            .filter(|s| s.step.raise() > 0)
            .fold((0, 0), |(n, total), s| {
                (n + 1, total + u32::from(s.step.raise()))
            })
    }
}

/// Compares role A with role B, the step taken from A's top grade to B's entry grade.
pub fn compare(a: &Role, b: &Role) -> Comparison {
    compare_at(a, b, None, None)
}

/// Compares role A with role B, the step taken from A at `a_grade` to B at `b_grade` (each one of
/// the role's grades, as the caller has checked; `None` for the default: A's top grade, B's entry
/// grade).
pub fn compare_at(a: &Role, b: &Role, a_grade: Option<&str>, b_grade: Option<&str>) -> Comparison {
    let step = Step {
        a_grade: a_grade
            .map(str::to_owned)
            .or_else(|| a.grades.last().cloned()),
        b_grade: b_grade
            .map(str::to_owned)
            .or_else(|| b.grades.first().cloned()),
    };
    let facts = vec![
        fact(
            "framework",
            "Framework",
            &a.framework_name,
            &b.framework_name,
        ),
        fact(
            "family",
            "Job family",
            a.family.as_ref().map_or("", |f| f.name.as_str()),
            b.family.as_ref().map_or("", |f| f.name.as_str()),
        ),
        fact(
            "level",
            "Level",
            &a.level.map(|l| l.to_string()).unwrap_or_default(),
            &b.level.map(|l| l.to_string()).unwrap_or_default(),
        ),
        fact(
            "grades",
            "Grades",
            &a.grades.join(", "),
            &b.grades.join(", "),
        ),
        fact("codes", "Codes", &codes(a), &codes(b)),
        fact("summary", "Summary", &a.summary, &b.summary),
    ];

    let mut dimensions: Vec<SideBySide> = a
        .dimensions
        .iter()
        .map(|d| {
            let other = b
                .dimensions
                .iter()
                .find(|o| o.key == d.key)
                .map_or("", |o| o.text.as_str());
            fact(&d.key, &d.name, &d.text, other)
        })
        .collect();
    for d in b
        .dimensions
        .iter()
        .filter(|d| !a.dimensions.iter().any(|o| o.key == d.key))
    {
        dimensions.push(fact(&d.key, &d.name, "", &d.text));
    }

    let grades = grade_union(a, b);
    let mut shared = Vec::new();
    let mut only_a = Vec::new();
    for req in &a.requirements {
        match b.requirement(req.skill.id) {
            Some(other) => shared.push(shared_skill(req, other, a, b, &grades, &step)),
            None => only_a.push(one_sided(req)),
        }
    }
    let only_b = b
        .requirements
        .iter()
        .filter(|r| a.requirement(r.skill.id).is_none())
        .map(one_sided)
        .collect();

    let attributions: BTreeSet<String> = [&a.attribution, &b.attribution]
        .into_iter()
        .filter(|s| !s.is_empty())
        .cloned()
        .collect();

    Comparison {
        a: a.summary_view(),
        b: b.summary_view(),
        attributions: attributions.into_iter().collect(),
        facts,
        dimensions,
        shared,
        only_a,
        only_b,
        step,
    }
}

fn fact(key: &str, name: &str, a: &str, b: &str) -> SideBySide {
    SideBySide {
        key: key.to_owned(),
        name: name.to_owned(),
        a: a.to_owned(),
        b: b.to_owned(),
    }
}

fn codes(role: &Role) -> String {
    role.codes
        .iter()
        .map(|c| format!("{} {}", c.scheme, c.value))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Both roles' grades in ladder order (A's ladder first, then B's for grades A lacks).
fn grade_union(a: &Role, b: &Role) -> Vec<String> {
    let mut grades: Vec<String> = a.grades.clone();
    for g in &b.grades {
        if !grades.iter().any(|x| x.eq_ignore_ascii_case(g)) {
            grades.push(g.clone());
        }
    }
    if let Some(ladder) = a.ladder.as_ref().or(b.ladder.as_ref()) {
        grades.sort_by_key(|g| ladder.position(g).unwrap_or(usize::MAX));
    }
    grades
}

fn at_grade(role: &Role, req: &Requirement, grade: &str) -> Option<RequiredLevel> {
    role.grades
        .iter()
        .any(|g| g.eq_ignore_ascii_case(grade))
        .then(|| req.required_at(Some(grade)))
}

fn shared_skill(
    a_req: &Requirement,
    b_req: &Requirement,
    a: &Role,
    b: &Role,
    grades: &[String],
    step: &Step,
) -> SharedSkill {
    // A skill matched across frameworks by a reviewed mapping may sit on another scale, where
    // ranks do not compare.
    let scale = |r: &Requirement| r.skill.scale.as_ref().map(|s| s.key().to_owned());
    let same_scale = scale(a_req) == scale(b_req);
    let difference = |a: Option<&crate::level::Level>, b: Option<&crate::level::Level>| {
        difference(a, b).filter(|_| same_scale)
    };
    let grades = grades
        .iter()
        .map(|grade| {
            let a_level = at_grade(a, a_req, grade);
            let b_level = at_grade(b, b_req, grade);
            let difference = difference(
                a_level.as_ref().and_then(|l| l.level()),
                b_level.as_ref().and_then(|l| l.level()),
            );
            GradeLevels {
                grade: grade.clone(),
                a: a_level,
                b: b_level,
                difference,
            }
        })
        .collect();
    let step = {
        let a_level = a_req.required_at(step.a_grade.as_deref());
        let b_level = b_req.required_at(step.b_grade.as_deref());
        StepLevels {
            difference: difference(a_level.level(), b_level.level()),
            a: a_level,
            b: b_level,
        }
    };
    SharedSkill {
        skill: a_req.skill.clone(),
        a_importance: a_req.importance,
        b_importance: b_req.importance,
        grades,
        a_level: a_req.level.clone(),
        b_level: b_req.level.clone(),
        step,
    }
}

/// B's rank minus A's, where both give a level.
fn difference(a: Option<&crate::level::Level>, b: Option<&crate::level::Level>) -> Option<i16> {
    Some(i16::from(b?.rank()) - i16::from(a?.rank()))
}

fn one_sided(req: &Requirement) -> OneSided {
    OneSided {
        skill: req.skill.clone(),
        importance: req.importance,
        levels: req.levels.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gap::fixture::*;
    use crate::role::Dimension;

    #[test]
    fn level_differences_line_up_by_grade() {
        let a = team_leader();
        let b = role(
            2,
            "Front Line Help and Advice",
            &["AA", "AO", "EO", "HEO", "SEO"],
            vec![
                requirement(
                    1,
                    "Connections and communication",
                    Importance::Essential,
                    "AA=W AO=W EO=W HEO=W SEO=P",
                ),
                requirement(
                    7,
                    "Customer care",
                    Importance::Optional,
                    "AA=A AO=A EO=A HEO=W SEO=W",
                ),
            ],
        );
        let c = compare(&a, &b);
        assert_eq!(c.shared.len(), 1);
        assert_eq!(c.only_a.len(), 4);
        assert_eq!(c.only_b.len(), 1);
        let cells: Vec<(String, Option<i16>)> = c.shared[0]
            .grades
            .iter()
            .map(|g| (g.grade.clone(), g.difference))
            .collect();
        // No ladder in the fixture: A's grades first, then B's extra ones.
        assert_eq!(
            cells,
            vec![
                ("EO".into(), Some(0)),
                ("HEO".into(), Some(0)),
                ("SEO".into(), Some(1)),
                ("AA".into(), None),
                ("AO".into(), None),
            ]
        );
    }

    /// Operations Manager as the ODP framework publishes it: the next grades up from Team Leader.
    fn operations_manager() -> Role {
        role(
            3,
            "Operations Manager",
            &["G7", "G6"],
            vec![
                requirement(
                    1,
                    "Connections and communication",
                    Importance::Essential,
                    "G7=P G6=E",
                ),
                requirement(
                    2,
                    "Operational leadership and management",
                    Importance::Essential,
                    "G7=P G6=E",
                ),
                requirement(
                    3,
                    "Adaptability to change",
                    Importance::Essential,
                    "G7=P G6=E",
                ),
                requirement(4, "Data and insight", Importance::Essential, "G7=E G6=E"),
                requirement(
                    5,
                    "Delivery and decision making at pace",
                    Importance::Essential,
                    "G7=P G6=E",
                ),
            ],
        )
    }

    #[test]
    fn roles_one_step_apart_compare_top_grade_against_entry_grade() {
        let c = compare(&team_leader(), &operations_manager());
        assert_eq!(
            (c.step.a_grade.as_deref(), c.step.b_grade.as_deref()),
            (Some("SEO"), Some("G7"))
        );
        let raises: Vec<(&str, u16)> = c
            .shared
            .iter()
            .map(|s| (s.skill.label.as_str(), s.step.raise()))
            .collect();
        assert_eq!(
            raises,
            vec![
                ("Connections and communication", 1),
                ("Operational leadership and management", 0),
                ("Adaptability to change", 1),
                ("Data and insight", 1),
                ("Delivery and decision making at pace", 0),
            ]
        );
        assert_eq!(c.to_raise(), (3, 3));
        // Grade by grade the two never meet: no difference anywhere.
        assert!(
            c.shared
                .iter()
                .all(|s| s.grades.iter().all(|g| g.difference.is_none()))
        );
    }

    #[test]
    fn the_step_takes_the_grades_asked_for() {
        let c = compare_at(
            &team_leader(),
            &operations_manager(),
            Some("EO"),
            Some("G6"),
        );
        let raises: Vec<u16> = c.shared.iter().map(|s| s.step.raise()).collect();
        // EO asks W, W, A, A, A; G6 asks Expert of every skill.
        assert_eq!(raises, vec![2, 2, 3, 3, 3]);
        assert_eq!(c.to_raise(), (5, 13));
    }

    #[test]
    fn levels_on_different_scales_are_not_compared() {
        let mut b = operations_manager();
        // A skill a reviewed mapping matched, measured on another scale.
        b.requirements[3].skill.scale = Some(crate::level::Scale::presence());
        let c = compare(&team_leader(), &b);
        assert_eq!(c.shared[3].step.difference, None);
        assert_eq!(c.step_compared(), 4);
        assert_eq!(c.to_raise(), (2, 2));
    }

    #[test]
    fn dimensions_pair_up_and_keep_one_sided_ones() {
        let mut a = role(1, "Operations Manager", &[], Vec::new());
        let mut b = role(2, "Head of Operations", &[], Vec::new());
        let dim = |key: &str, text: &str| Dimension {
            key: key.into(),
            name: key.into(),
            text: text.into(),
        };
        a.dimensions = vec![dim("scope", "a department"), dim("budget", "own budget")];
        b.dimensions = vec![
            dim("budget", "whole operations budget"),
            dim("crisis", "decides"),
        ];
        let c = compare(&a, &b);
        let rows: Vec<(&str, &str, &str)> = c
            .dimensions
            .iter()
            .map(|d| (d.key.as_str(), d.a.as_str(), d.b.as_str()))
            .collect();
        assert_eq!(
            rows,
            vec![
                ("scope", "a department", ""),
                ("budget", "own budget", "whole operations budget"),
                ("crisis", "", "decides")
            ]
        );
        assert!(c.dimensions.iter().all(SideBySide::differs));
    }
}
