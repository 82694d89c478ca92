//! Two roles side by side: their facts, their descriptive dimensions, and their skills (shared,
//! only in one, and the level each asks grade by grade).

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
}

/// Compares role A with role B.
pub fn compare(a: &Role, b: &Role) -> Comparison {
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
            Some(other) => shared.push(shared_skill(req, other, a, b, &grades)),
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
) -> SharedSkill {
    let grades = grades
        .iter()
        .map(|grade| {
            let a_level = at_grade(a, a_req, grade);
            let b_level = at_grade(b, b_req, grade);
            let difference = match (
                a_level.as_ref().and_then(|l| l.level()),
                b_level.as_ref().and_then(|l| l.level()),
            ) {
                (Some(x), Some(y)) => Some(i16::from(y.rank()) - i16::from(x.rank())),
                _ => None,
            };
            GradeLevels {
                grade: grade.clone(),
                a: a_level,
                b: b_level,
                difference,
            }
        })
        .collect();
    SharedSkill {
        skill: a_req.skill.clone(),
        a_importance: a_req.importance,
        b_importance: b_req.importance,
        grades,
        a_level: a_req.level.clone(),
        b_level: b_req.level.clone(),
    }
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
